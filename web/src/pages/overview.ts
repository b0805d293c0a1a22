// Overview: the reference's page, corrected. KPIs with their delta against the portfolio, a box
// to ask the analyst about this view, segments (fixed order) and provinces (alphabetical)
// coloured by average churn probability (not the CAD-weighted score) on one shared scale, with
// the reference's tooltip fields, gender and card mixes with percentages, and the 50 members
// at risk (src/overview_charts.ts holds the charts).
import { runOp } from "../api";
import { chart, chartCard, scheme } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { activeCount } from "../filters";
import { delta, percent, withUnit } from "../format";
import { groupChart, mixChart, sharedDomain, shares } from "../overview_charts";
import { tableCard } from "../table";

const KPIS: { key: string; title: string; unit: string; kind: "share" | "points" | "relative" }[] = [
  { key: "customers", title: "Customers", unit: "members", kind: "share" },
  { key: "avg_clv", title: "Average CLV", unit: "CAD", kind: "relative" },
  { key: "cancelled_rate", title: "Cancellation rate", unit: "fraction", kind: "points" },
  { key: "avg_recency_months", title: "Avg recency", unit: "months", kind: "relative" },
  { key: "avg_frequency", title: "Avg frequency (flights)", unit: "flights", kind: "relative" },
  { key: "avg_monetary", title: "Avg monetary (distance)", unit: "km", kind: "relative" },
  { key: "avg_tenure_months", title: "Avg tenure", unit: "months", kind: "relative" },
];

// The members' mix by a column: the donut and its percentages as text.
function mixCard(title: string, testId: string): { card: HTMLElement; body: HTMLElement; list: HTMLElement } {
  const { card, body } = chartCard(title);
  const list = h("ul", { class: "shares", "data-testid": testId });
  card.append(list);
  return { card, body, list };
}

function fillShares(list: HTMLElement, rows: any[], field: string): void {
  list.replaceChildren(...shares(rows, field).map((s) =>
    h("li", { "data-name": s.name, "data-share": s.share }, h("span", {}, s.name), " ", h("strong", {}, percent(s.share)))));
}

// "Ask about this view": the question goes to the analyst page with the filters in the URL.
function askBox(ctx: PageContext): HTMLElement {
  const input = h("input", { type: "text", maxlength: 500, placeholder: "e.g. Where should we focus retention efforts?", "aria-label": "Ask about this view", "data-testid": "ask-view-question" }) as HTMLInputElement;
  const count = activeCount(ctx.filters);
  return h("form", { class: "search ask-view", "data-testid": "ask-view", onsubmit: (e: Event) => {
    e.preventDefault();
    const q = input.value.trim();
    if (q) ctx.go("analyst", { q });
  } },
  h("label", { class: "ask-label" }, "Ask about this view", h("span", { class: "note" }, count ? ` (the analyst gets these ${count} filters)` : " (the whole portfolio)")),
  input, h("button", { type: "submit" }, "Ask the analyst"));
}

export async function overview(ctx: PageContext): Promise<void> {
  const { root, api } = ctx;
  // Everything the page shows, asked for at once (the server answers in parallel).
  const groups = { top_n: 50, sort_by: "customers" };
  const [slice, base, segments, provinces, genders, cards, risk] = await Promise.all([
    runOp("kpis_slice", {}, api),
    runOp("kpis_baseline"),
    runOp("summary_by_segment", groups, api),
    runOp("summary_by_province", groups, api),
    runOp("summary_by_gender", groups, api),
    runOp("summary_by_card", groups, api),
    runOp("top_risk_customers", { top_n: 50 }, api),
  ]);
  const kpis = h("section", { class: "kpis", "data-testid": "kpis" });
  for (const k of KPIS) {
    const value = slice.result[k.key];
    const d = delta(value, base.result[k.key], k.kind);
    kpis.append(
      h(
        "div",
        { class: "kpi", "data-kpi": k.key, "data-value": value ?? "" },
        h("div", { class: "kpi-title" }, k.title),
        h("div", { class: "kpi-value" }, withUnit(value, k.unit)),
        h("div", { class: `kpi-delta ${d.direction}` }, d.text),
      ),
    );
  }
  root.append(kpis, askBox(ctx));
  if (!slice.result.customers) {
    root.append(
      h(
        "div",
        { class: "notice", "data-testid": "empty-slice" },
        "No members match these filters. Widen or clear them to see the charts.",
      ),
    );
    return;
  }
  const grid = h("div", { class: "grid" });
  root.append(grid);
  const note = "Bars: customers; colour: average churn probability, one scale for both charts.";
  const seg = chartCard("Members by RFM segment", note);
  const prov = chartCard("Members by province", note);
  const gen = mixCard("Gender", "gender-shares");
  const card = mixCard("Loyalty card", "card-shares");
  grid.append(seg.card, prov.card, gen.card, card.card);
  fillShares(gen.list, genders.result.rows, "gender");
  fillShares(card.list, cards.result.rows, "loyalty_card");
  // Segments in their fixed order (the catalogue's), provinces alphabetical; one colour domain.
  const order = (await ctx.catalogue)?.filters?.rfm_segment?.choices ?? "ascending";
  const domain = sharedDomain(segments.result.rows, provinces.result.rows);
  seg.body.dataset.colourDomain = JSON.stringify(domain);
  prov.body.dataset.colourDomain = JSON.stringify(domain);
  await Promise.all([
    chart(seg.body, groupChart(segments.result.rows, "rfm_segment", "RFM segment", order, domain, scheme)),
    chart(prov.body, groupChart(provinces.result.rows, "province", "Province", "ascending", domain, scheme)),
    chart(gen.body, mixChart(genders.result.rows, "gender")),
    chart(card.body, mixChart(cards.result.rows, "loyalty_card")),
  ]);
  root.append(
    tableCard(
      "Top 50 members at risk",
      risk.result.rows,
      [
        { key: "loyalty_number", title: "Loyalty #" },
        { key: "province" },
        { key: "loyalty_card", title: "Card" },
        { key: "rfm_segment", title: "Segment" },
        { key: "clv", title: "CLV" },
        { key: "churn_probability", title: "Churn probability" },
        { key: "churn_score", title: "Churn score (CAD at risk)" },
        { key: "risk_tier", title: "Tier" },
        { key: "reason_1", title: "Top reason" },
      ],
      risk.result.units,
      { op: "top_risk_customers", params: { top_n: 50 }, filters: api, table: "rows" },
      "top-risk",
    ),
  );
  const groupColumns = [
    { key: "customers" }, { key: "avg_clv" }, { key: "median_clv" },
    { key: "avg_churn_probability", unit: "fraction" }, { key: "avg_churn_score" },
    { key: "avg_recency_months" }, { key: "avg_frequency" }, { key: "avg_monetary" },
    { key: "avg_tenure_months" }, { key: "cancelled_rate" }, { key: "retention_rate" },
  ];
  root.append(
    tableCard("By RFM segment", segments.result.rows, [{ key: "rfm_segment", title: "Segment" }, ...groupColumns],
      segments.result.units, { op: "summary_by_segment", params: groups, filters: api, table: "rows" }, "by-segment"),
    tableCard("By province", provinces.result.rows, [{ key: "province" }, ...groupColumns],
      provinces.result.units, { op: "summary_by_province", params: groups, filters: api, table: "rows" }, "by-province"),
  );
}
