// Customer 360's search: members by province, segment, card and risk tier, as a list sorted on
// the server (customer_search) by any of its sortable columns; every member links to their
// page. The four choices are the filters themselves (the filter bar shows the same state).
import { runOp } from "../api";
import type { PageContext } from "../context";
import { h } from "../dom";
import type { Filters } from "../filters";
import { integer, label } from "../format";
import { type Column, tableCard } from "../table";

const FINDER: { key: "province" | "rfm_segment" | "loyalty_card" | "risk_tier"; title: string }[] = [
  { key: "province", title: "Province" },
  { key: "rfm_segment", title: "Segment" },
  { key: "loyalty_card", title: "Card" },
  { key: "risk_tier", title: "Risk tier" },
];

const COLUMNS: Column[] = [
  { key: "loyalty_number", title: "Loyalty #", sortKey: "loyalty_number" },
  { key: "province" }, { key: "rfm_segment", title: "Segment" }, { key: "loyalty_card", title: "Card" },
  { key: "risk_tier", title: "Tier" },
  { key: "clv", title: "CLV", sortKey: "clv" },
  { key: "churn_probability", sortKey: "churn_probability" },
  { key: "churn_score", title: "Churn score (CAD at risk)", sortKey: "churn_score" },
  { key: "tenure_months", title: "Tenure", sortKey: "tenure_months" },
  { key: "recency", sortKey: "recency" }, { key: "frequency", sortKey: "frequency" },
  { key: "monetary", sortKey: "monetary" }, { key: "is_cancelled", title: "Cancelled" },
];

const LIST_SIZE = 100;

// The filter's current value as one choice: "" for any, "*" when several are chosen.
function chosen(f: Filters, key: (typeof FINDER)[number]["key"]): string {
  const v = f[key];
  if (typeof v === "string") return v;
  return v.length === 0 ? "" : v.length === 1 ? v[0] : "*";
}

function choice(ctx: PageContext, key: (typeof FINDER)[number]["key"], title: string, choices: string[], extra: Record<string, string>): HTMLElement {
  const now = chosen(ctx.filters, key);
  const select = h("select", { name: key, "data-finder": key },
    h("option", { value: "" }, "Any"),
    now === "*" ? h("option", { value: "*", selected: true, disabled: true }, `${(ctx.filters[key] as string[]).length} chosen above`) : null,
    choices.map((c) => h("option", { value: c, selected: now === c }, c))) as HTMLSelectElement;
  select.addEventListener("change", () => {
    const f: Filters = { ...ctx.filters };
    if (key === "risk_tier") f.risk_tier = select.value;
    else f[key] = select.value ? [select.value] : [];
    ctx.go("customer", extra, f);
  });
  return h("label", {}, title, select);
}

export async function finder(ctx: PageContext): Promise<void> {
  const { root, params, api, go } = ctx;
  const catalogue = await ctx.catalogue;
  const search = catalogue?.operations?.find((o: any) => o.name === "customer_search");
  const keys: string[] = search?.params?.find((p: any) => p.name === "sort_by")?.choices ?? ["churn_score"];
  const by = keys.includes(params.get("sort") ?? "") ? params.get("sort")! : keys[0];
  const ascending = params.get("dir") === "asc";
  const extra = { sort: by, dir: ascending ? "asc" : "desc" };
  root.append(h("form", { class: "inputs finder", "data-testid": "finder", onsubmit: (e: Event) => e.preventDefault() },
    FINDER.map((f) => choice(ctx, f.key, f.title, catalogue?.filters?.[f.key]?.choices ?? [], extra))));
  const searchParams = { sort_by: by, ascending, top_n: LIST_SIZE };
  const r = (await runOp("customer_search", searchParams, api)).result;
  const matched = r.matched_members as number;
  const order = `${by === "clv" ? "CLV" : label(by).toLowerCase()}, ${ascending ? "lowest" : "highest"} first`;
  root.append(h("p", { class: "lead", "data-testid": "finder-count", "data-matched": matched },
    matched ? `${integer(matched)} members match; ${matched > LIST_SIZE ? `the first ${LIST_SIZE}` : "all"} by ${order}. Open a member for their page.`
      : "No members match these choices."));
  const rows = r.rows.map((m: any) => ({ ...m, is_cancelled: m.is_cancelled ? "yes" : "no" }));
  root.append(tableCard("Members", rows, COLUMNS, r.units,
    { op: "customer_search", params: { ...searchParams, top_n: 500 }, filters: api, table: "rows" }, "finder-list",
    { by, ascending, onSort: (key, asc) => go("customer", { sort: key, dir: asc ? "asc" : "desc" }) }));
}
