import { describe, expect, it } from "vitest";
import { groupChart, mixChart, sharedDomain, shares, TOOLTIP_FIELDS } from "../src/overview_charts";

// The Overview's charts as a reference user expects them (issue 29).
describe("overview charts", () => {
  const segments = [
    { rfm_segment: "Loyal", customers: 300, avg_churn_probability: 0.04 },
    { rfm_segment: "Dormant", customers: 500, avg_churn_probability: 0.21 },
  ];
  const provinces = [
    { province: "Yukon", customers: 20, avg_churn_probability: 0.3 },
    { province: "Alberta", customers: 200, avg_churn_probability: null },
  ];

  it("share one colour domain over both bar charts, nulls left out", () => {
    expect(sharedDomain(segments, provinces)).toEqual([0.04, 0.3]);
    const one = sharedDomain([{ avg_churn_probability: 0.1 }])!;  // one value: a small span
    expect(one[0]).toBeCloseTo(0.095, 12);
    expect(one[1]).toBeCloseTo(0.105, 12);
    expect(sharedDomain([], [{ avg_churn_probability: null }])).toBeNull();
  });

  it("keep segments in the catalogue's order and provinces alphabetical, on the shared scale", () => {
    const order = ["Champions", "Loyal", "Potential", "At Risk", "Dormant"];
    const seg = groupChart(segments, "rfm_segment", "RFM segment", order, [0.04, 0.3], "orangered");
    expect(seg.encoding.y.sort).toEqual(order);
    expect(seg.encoding.color.scale).toEqual({ scheme: "orangered", domain: [0.04, 0.3] });
    const prov = groupChart(provinces, "province", "Province", "ascending", [0.04, 0.3], "orangered");
    expect(prov.encoding.y.sort).toBe("ascending");
    expect(prov.encoding.color.scale.domain).toEqual(seg.encoding.color.scale.domain);
  });

  it("carry the reference's eight tooltip fields", () => {
    expect(TOOLTIP_FIELDS.map((t) => t.field)).toEqual([
      "customers", "avg_clv", "avg_churn_score", "avg_recency_months", "avg_frequency",
      "avg_monetary", "avg_tenure_months", "cancelled_rate"]);
    const tooltip = groupChart(segments, "rfm_segment", "RFM segment", "ascending", null, "x").encoding.tooltip;
    expect(tooltip.map((t: any) => t.field)).toEqual(["rfm_segment", ...TOOLTIP_FIELDS.map((t) => t.field), "avg_churn_probability"]);
  });

  it("give each group's share of the customers, largest first", () => {
    const rows = [{ gender: "Male", customers: 1 }, { gender: "Female", customers: 3 }, { gender: null, customers: 0 }];
    expect(shares(rows, "gender")).toEqual([
      { name: "Female", customers: 3, share: 0.75 },
      { name: "Male", customers: 1, share: 0.25 },
      { name: "–", customers: 0, share: 0 },
    ]);
    expect(shares([], "gender")).toEqual([]);
  });

  it("label each slice of a donut with its percentage", () => {
    const spec = mixChart([{ loyalty_card: "Star", customers: 2 }, { loyalty_card: "Nova", customers: 6 }], "loyalty_card");
    expect(spec.data.values).toEqual([
      { loyalty_card: "Nova", customers: 6, share: 0.75 },
      { loyalty_card: "Star", customers: 2, share: 0.25 },
    ]);
    expect(spec.layer[1].mark.type).toBe("text");
    expect(spec.layer[1].encoding.text).toEqual({ field: "share", type: "quantitative", format: ".1%" });
  });
});
