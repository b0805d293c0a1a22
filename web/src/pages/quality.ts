// Data quality: the ingest report, the main rejection reasons and a sample of quarantined rows.
import { runOp } from "../api";
import type { PageContext } from "../context";
import { h } from "../dom";
import { withUnit } from "../format";
import { tableCard } from "../table";

export async function quality(ctx: PageContext): Promise<void> {
  const { root } = ctx;
  const q = (await runOp("data_quality")).result;
  root.append(h("div", { class: q.balanced ? "notice ok" : "notice", "data-testid": "quality-balance" },
    q.balanced ? "Every row read is accounted for: loaded, quarantined or merged." : "The ingest report does not balance: some rows are unaccounted for.",
    " ", q.note));
  root.append(tableCard("Ingest report", q.files.map((f: any) => ({
    file: f.file, rows_read: f.rows_read, rows_loaded: f.rows_loaded, rows_quarantined: f.rows_quarantined,
    rows_merged: f.rows_merged, exact_duplicates_dropped: f.merged?.exact_duplicates_dropped, same_month_rows_summed: f.merged?.same_month_rows_summed,
    negative_salary_set_null: f.negative_salary_set_null, balanced: f.balanced ? "yes" : "no" })),
    [{ key: "file" }, { key: "rows_read" }, { key: "rows_loaded" }, { key: "rows_quarantined" }, { key: "rows_merged" },
     { key: "exact_duplicates_dropped" }, { key: "same_month_rows_summed" }, { key: "negative_salary_set_null", title: "Negative salary → null" }, { key: "balanced" }],
    { rows_read: "rows", rows_loaded: "rows", rows_quarantined: "rows", rows_merged: "rows", exact_duplicates_dropped: "rows", same_month_rows_summed: "rows", negative_salary_set_null: "rows" },
    undefined, "ingest-report"));
  const reasons = q.files.flatMap((f: any) => f.main_rejection_reasons.map((r: any) => ({ file: f.file, ...r })));
  root.append(tableCard("Top rejection reasons", reasons, [{ key: "file" }, { key: "rule" }, { key: "rows_count", title: "Rows" }], { rows_count: "rows" }));
  const sample = q.files.flatMap((f: any) => f.quarantine_sample ?? []);
  root.append(tableCard("Sample of quarantined rows", sample,
    [{ key: "file" }, { key: "line", unit: "rows" }, { key: "column", unit: "rows" }, { key: "column_name", title: "Column" }, { key: "value" }, { key: "rule" }, { key: "message" }], {}, undefined, "quarantine-sample"));
  root.append(h("p", { class: "note" }, `Quarantine file: ${q.quarantine?.path ?? "–"} (${withUnit(q.quarantine?.records, "rows")} records).`));
}
