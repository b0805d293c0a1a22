// Overview: the reference's page, corrected. KPIs with their delta against the portfolio,
// segments and provinces coloured by average churn probability (not the CAD-weighted score),
// gender and card mixes, and the 50 members at risk.
import { runOp } from "../api";
import { chart, chartCard, scheme } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { delta, withUnit } from "../format";
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

function groupChart(rows: any[], field: string, title: string) {
  return {
    title: "",
    height: { step: 24 },
    data: { values: rows },
    mark: { type: "bar", cornerRadiusEnd: 3 },
    encoding: {
      y: { field, type: "nominal", sort: "-x", title },
      x: { field: "customers", type: "quantitative", title: "Customers" },
      color: {
        field: "avg_churn_probability",
        type: "quantitative",
        title: "Avg churn probability",
        scale: { scheme },
        legend: { format: ".1%", orient: "top", direction: "horizontal", gradientLength: 160 },
      },
      tooltip: [
        { field, type: "nominal", title },
        { field: "customers", type: "quantitative", format: "," },
        { field: "avg_churn_probability", type: "quantitative", format: ".2%", title: "Avg churn probability" },
        { field: "avg_clv", type: "quantitative", format: ",.0f", title: "Avg CLV (CAD)" },
        { field: "cancelled_rate", type: "quantitative", format: ".1%", title: "Cancelled" },
      ],
    },
  } as any;
}

function mixChart(rows: any[], field: string) {
  return {
    height: 140,
    data: { values: rows },
    mark: { type: "arc", innerRadius: 40 },
    encoding: {
      theta: { field: "customers", type: "quantitative" },
      color: { field, type: "nominal", title: null, scale: { scheme: "tableau10" } },
      tooltip: [
        { field, type: "nominal" },
        { field: "customers", type: "quantitative", format: "," },
      ],
    },
  } as any;
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
  root.append(kpis);
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
  const seg = chartCard("Members by RFM segment", "Bars: customers; colour: average churn probability.");
  const prov = chartCard("Members by province", "Bars: customers; colour: average churn probability.");
  const gen = chartCard("Gender");
  const card = chartCard("Loyalty card");
  grid.append(seg.card, prov.card, gen.card, card.card);
  await Promise.all([
    chart(seg.body, groupChart(segments.result.rows, "rfm_segment", "RFM segment")),
    chart(prov.body, groupChart(provinces.result.rows, "province", "Province")),
    chart(gen.body, mixChart(genders.result.rows, "gender")),
    chart(card.body, mixChart(cards.result.rows, "loyalty_card")),
  ]);
  root.append(
    tableCard(
      "Top 50 members at risk",
      risk.result.rows,
      [
        { key: "loyalty_number", title: "Loyalty #", link: (r) => `#/customer?id=${r.loyalty_number}` },
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
