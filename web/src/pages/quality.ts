// Data quality: the ingest report, the main rejection reasons and a sample of quarantined rows.
import { runOp } from "../api";
import { type Catalogue, operation, unitLookup } from "../catalogue";
import type { PageContext } from "../context";
import { h } from "../dom";
import { withUnit } from "../format";
import { tableCard } from "../table";

// The result fields (data_quality's declared schema) whose units this page shows; it asks the
// schema for these and no others (tests/page_units.test.ts checks that each is declared).
export const QUALITY_UNIT_PATHS = [
  "files.rows_read", "files.rows_loaded", "files.rows_quarantined", "files.rows_merged",
  "files.merged.exact_duplicates_dropped", "files.merged.same_month_rows_summed", "files.negative_salary_set_null",
  "files.main_rejection_reasons.rows_count",
  "files.quarantine_sample.line", "files.quarantine_sample.column",
  "quarantine.records",
] as const;

export async function quality(ctx: PageContext): Promise<void> {
  const { root } = ctx;
  const [catalogue, answer] = await Promise.all([ctx.catalogue, runOp("data_quality")]);
  const unit = unitLookup(operation(catalogue as Catalogue, "data_quality"), QUALITY_UNIT_PATHS);
  const q = answer.result;
  root.append(h("div", { class: q.balanced ? "notice ok" : "notice", "data-testid": "quality-balance" },
    q.balanced ? "Every row read is accounted for: loaded, quarantined or merged." : "The ingest report does not balance: some rows are unaccounted for.",
    " ", q.note));
  root.append(tableCard("Ingest report", q.files.map((f: any) => ({
    file: f.file, rows_read: f.rows_read, rows_loaded: f.rows_loaded, rows_quarantined: f.rows_quarantined,
    rows_merged: f.rows_merged, exact_duplicates_dropped: f.merged?.exact_duplicates_dropped, same_month_rows_summed: f.merged?.same_month_rows_summed,
    negative_salary_set_null: f.negative_salary_set_null, balanced: f.balanced ? "yes" : "no" })),
    [{ key: "file" }, { key: "rows_read", unit: unit("files.rows_read") }, { key: "rows_loaded", unit: unit("files.rows_loaded") },
     { key: "rows_quarantined", unit: unit("files.rows_quarantined") }, { key: "rows_merged", unit: unit("files.rows_merged") },
     { key: "exact_duplicates_dropped", unit: unit("files.merged.exact_duplicates_dropped") },
     { key: "same_month_rows_summed", unit: unit("files.merged.same_month_rows_summed") },
     { key: "negative_salary_set_null", title: "Negative salary → null", unit: unit("files.negative_salary_set_null") }, { key: "balanced" }],
    {}, undefined, "ingest-report"));
  const reasons = q.files.flatMap((f: any) => f.main_rejection_reasons.map((r: any) => ({ file: f.file, ...r })));
  root.append(tableCard("Top rejection reasons", reasons, [{ key: "file" }, { key: "rule" }, { key: "rows_count", title: "Rows", unit: unit("files.main_rejection_reasons.rows_count") }]));
  const sample = q.files.flatMap((f: any) => f.quarantine_sample ?? []);
  root.append(tableCard("Sample of quarantined rows", sample,
    [{ key: "file" }, { key: "line", unit: unit("files.quarantine_sample.line") }, { key: "column", unit: unit("files.quarantine_sample.column") }, { key: "column_name", title: "Column" }, { key: "value" }, { key: "rule" }, { key: "message" }], {}, undefined, "quarantine-sample"));
  root.append(h("p", { class: "note" }, `Quarantine file: ${q.quarantine?.path ?? "–"} (${withUnit(q.quarantine?.records, unit("quarantine.records"))} records).`));
}
