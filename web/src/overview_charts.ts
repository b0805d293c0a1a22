// The Overview's charts as a reference user knows them, done better: segments in their fixed
// order (Champions to Dormant, as the server's catalogue lists them) and provinces
// alphabetical; both bar charts coloured by average churn probability on one shared scale;
// the reference's eight tooltip fields; gender and card mixes with their percentages.

export const GROUP_COLOUR = "avg_churn_probability";

// The colour domain both bar charts share: the lowest and highest group average over both, so
// that one colour means one probability on either chart.
export function sharedDomain(...groups: any[][]): [number, number] | null {
  const values = groups.flat().map((r) => r?.[GROUP_COLOUR]).filter((v) => typeof v === "number" && Number.isFinite(v));
  if (!values.length) return null;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? [Math.max(0, lo - 0.005), hi + 0.005] : [lo, hi];
}

// The reference's eight tooltip fields, with the group and the colour's own value.
export const TOOLTIP_FIELDS: { field: string; title: string; format: string }[] = [
  { field: "customers", title: "Customers", format: "," },
  { field: "avg_clv", title: "Avg CLV (CAD)", format: ",.0f" },
  { field: "avg_churn_score", title: "Avg churn score (CAD at risk)", format: ",.0f" },
  { field: "avg_recency_months", title: "Avg recency (months)", format: ".1f" },
  { field: "avg_frequency", title: "Avg frequency (flights)", format: ".1f" },
  { field: "avg_monetary", title: "Avg monetary (km)", format: ",.0f" },
  { field: "avg_tenure_months", title: "Avg tenure (months)", format: ".1f" },
  { field: "cancelled_rate", title: "Cancellation rate", format: ".1%" },
];

// Bars of customers per group; `order` fixes the bands' order ("ascending": alphabetical).
export function groupChart(rows: any[], field: string, title: string, order: string[] | "ascending",
                           domain: [number, number] | null, scheme: string): any {
  return {
    title: "",
    height: { step: 24 },
    data: { values: rows },
    mark: { type: "bar", cornerRadiusEnd: 3 },
    encoding: {
      y: { field, type: "nominal", sort: order, title },
      x: { field: "customers", type: "quantitative", title: "Customers" },
      color: {
        field: GROUP_COLOUR,
        type: "quantitative",
        title: "Avg churn probability",
        scale: domain ? { scheme, domain } : { scheme },
        legend: { format: ".1%", orient: "top", direction: "horizontal", gradientLength: 160 },
      },
      tooltip: [
        { field, type: "nominal", title },
        ...TOOLTIP_FIELDS.map((t) => ({ ...t, type: "quantitative" })),
        { field: GROUP_COLOUR, type: "quantitative", format: ".1%", title: "Avg churn probability" },
      ],
    },
  };
}

// Each group's share of the customers, largest first (ties by name).
export function shares(rows: any[], field: string): { name: string; customers: number; share: number }[] {
  const total = rows.reduce((sum, r) => sum + (Number(r.customers) || 0), 0);
  return rows
    .map((r) => ({ name: String(r[field] ?? "–"), customers: Number(r.customers) || 0, share: total ? (Number(r.customers) || 0) / total : 0 }))
    .sort((a, b) => b.customers - a.customers || a.name.localeCompare(b.name));
}

// A donut of the mix with each slice's percentage on it and in the tooltip.
export function mixChart(rows: any[], field: string): any {
  const values = shares(rows, field).map((s) => ({ [field]: s.name, customers: s.customers, share: s.share }));
  const theta = { field: "customers", type: "quantitative", stack: true };
  return {
    height: 160,
    data: { values },
    encoding: {
      theta,
      order: { field: "customers", type: "quantitative", sort: "descending" },
      color: { field, type: "nominal", title: null, scale: { scheme: "tableau10" }, sort: values.map((v) => v[field]) },
      tooltip: [
        { field, type: "nominal" },
        { field: "customers", type: "quantitative", format: "," },
        { field: "share", type: "quantitative", format: ".1%", title: "Share" },
      ],
    },
    layer: [
      { mark: { type: "arc", innerRadius: 38, outerRadius: 66 } },
      { mark: { type: "text", radius: 82, fontSize: 11 }, encoding: { text: { field: "share", type: "quantitative", format: ".1%" } } },
    ],
  };
}
