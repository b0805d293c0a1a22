// A table card: rows of objects, formatted by the result's units, with a CSV download of the
// same operation, parameters and filters from the server.
import { downloadCsv } from "./api";
import { h } from "./dom";
import { label, withUnit } from "./format";

export interface Column {
  key: string;
  title?: string;
  unit?: string;
  link?: (row: any) => string; // an in-app link for the cell
}

export interface Export {
  op: string;
  params: Record<string, unknown>;
  filters: Record<string, unknown>;
  table: string;
}

export function tableCard(
  title: string,
  rows: any[],
  columns: Column[],
  units: Record<string, string> = {},
  exportAs?: Export,
  testId = "",
): HTMLElement {
  const head = h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c.title ?? label(c.key))));
  const body = rows.map((row) =>
    h(
      "tr",
      {},
      columns.map((c) => {
        const unit = c.unit ?? units[c.key];
        const text = withUnit(row[c.key], unit);
        const numeric = typeof row[c.key] === "number";
        const content = c.link ? h("a", { href: c.link(row) }, text) : text;
        return h("td", { class: numeric ? "num" : "" }, content);
      }),
    ),
  );
  const status = h("span", { class: "status", role: "status" });
  const button = exportAs
    ? h(
        "button",
        {
          class: "secondary",
          type: "button",
          "data-testid": testId ? `${testId}-csv` : null,
          onclick: async () => {
            status.textContent = "";
            try {
              await downloadCsv(exportAs.op, exportAs.params, exportAs.filters, exportAs.table);
            } catch (e) {
              status.textContent = (e as Error).message;
            }
          },
        },
        "Download CSV",
      )
    : null;
  return h(
    "section",
    { class: "card wide", "data-testid": testId || null },
    h("div", { class: "card-head" }, h("h3", {}, title), h("div", {}, status, button)),
    rows.length
      ? h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, head), h("tbody", {}, body)))
      : h("p", { class: "empty" }, "No rows for these filters."),
  );
}
