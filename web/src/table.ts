// A table card: rows of objects, formatted by the result's units, with a CSV download of the
// same operation, parameters and filters from the server. A loyalty number always links to the
// member's Customer 360 page; columns with a sort key can sort the table (on the server).
import { downloadCsv } from "./api";
import { h } from "./dom";
import { label, withUnit } from "./format";

export interface Column {
  key: string;
  title?: string;
  unit?: string;
  link?: (row: any) => string; // an in-app link for the cell (loyalty numbers have one already)
  sortKey?: string; // the operation's sort_by value for this column, when it can sort by it
}

// How the table is sorted, and what a click on a sortable header asks for.
export interface TableSort {
  by: string;
  ascending: boolean;
  onSort: (by: string, ascending: boolean) => void;
}

export function memberLink(row: any): string {
  return `#/customer?id=${encodeURIComponent(String(row.loyalty_number))}`;
}

function header(c: Column, sort?: TableSort): HTMLElement {
  const title = c.title ?? label(c.key);
  if (!sort || !c.sortKey) return h("th", { scope: "col" }, title);
  const active = sort.by === c.sortKey;
  const arrow = active ? (sort.ascending ? " ▲" : " ▼") : "";
  // A new column sorts highest first; the sorted column flips.
  const next = active ? !sort.ascending : false;
  return h("th", { scope: "col", "aria-sort": active ? (sort.ascending ? "ascending" : "descending") : "none" },
    h("button", { type: "button", class: "sort", "data-sort": c.sortKey, onclick: () => sort.onSort(c.sortKey!, next) }, title + arrow));
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
  sort?: TableSort,
): HTMLElement {
  const head = h("tr", {}, columns.map((c) => header(c, sort)));
  const body = rows.map((row) =>
    h(
      "tr",
      {},
      columns.map((c) => {
        const unit = c.unit ?? units[c.key];
        const text = withUnit(row[c.key], unit);
        const numeric = typeof row[c.key] === "number";
        const link = c.link ?? (c.key === "loyalty_number" && row[c.key] != null ? memberLink : undefined);
        const content = link ? h("a", { href: link(row), "data-member": c.key === "loyalty_number" ? row[c.key] : null }, text) : text;
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
