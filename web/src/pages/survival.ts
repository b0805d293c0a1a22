// Survival and cohorts: Kaplan-Meier membership curves by segment or card, and enrollment
// cohorts' retention as a heatmap.
import { runOp } from "../api";
import { chart, chartCard } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";

const GROUPS: [string, string][] = [["none", "Everyone"], ["rfm_segment", "RFM segment"], ["loyalty_card", "Loyalty card"], ["enrollment_type", "Enrollment type"]];

export async function survival(ctx: PageContext): Promise<void> {
  const { root, params, api, go } = ctx;
  const groupBy = GROUPS.some(([g]) => g === params.get("by")) ? params.get("by")! : "rfm_segment";
  const measure = params.get("measure") === "flying_share" ? "flying_share" : "member_share";
  const select = h("select", { "aria-label": "Group by", "data-testid": "survival-by", onchange: (e: Event) => go("survival", { by: (e.target as HTMLSelectElement).value, measure }) },
    GROUPS.map(([v, t]) => h("option", { value: v, selected: v === groupBy }, t)));
  const measureSelect = h("select", { "aria-label": "Cohort measure", onchange: (e: Event) => go("survival", { by: groupBy, measure: (e.target as HTMLSelectElement).value }) },
    h("option", { value: "member_share", selected: measure === "member_share" }, "Still a member"),
    h("option", { value: "flying_share", selected: measure === "flying_share" }, "Still flying"));
  root.append(h("div", { class: "inputs" }, h("label", {}, "Curves by ", select), h("label", {}, "Cohort heatmap: ", measureSelect)));
  const [curves, cohorts] = await Promise.all([
    runOp("retention_curve", { group_by: groupBy }, api),
    runOp("cohort_retention", {}, api),
  ]);
  const points = curves.result.curves.flatMap((c: any) => c.points.map((p: any) => ({ ...p, group: c.group })));
  const km = chartCard("Kaplan-Meier membership survival", curves.result.note);
  const heat = chartCard("Enrollment cohorts", cohorts.result.note);
  root.append(km.card, heat.card);
  if (!points.length) {
    km.body.append(h("p", { class: "empty" }, "No members in this slice."));
  } else {
    await chart(km.body, {
      height: 260, data: { values: points },
      mark: { type: "line", interpolate: "step-after" },
      encoding: {
        x: { field: "tenure_months", type: "quantitative", title: "Tenure (months)" },
        y: { field: "survival", type: "quantitative", title: "Still a member", scale: { zero: false }, axis: { format: ".0%" } },
        color: { field: "group", type: "nominal", title: null },
        tooltip: [{ field: "group" }, { field: "tenure_months" }, { field: "survival", format: ".1%" }, { field: "at_risk", format: "," }],
      },
    } as any);
  }
  const rows = cohorts.result.rows.filter((r: any) => r[measure] !== null).map((r: any) => ({ ...r, when: `${r.year}-${String(r.month).padStart(2, "0")}` }));
  if (!rows.length) {
    heat.body.append(h("p", { class: "empty" }, "No cohorts in this slice."));
  } else {
    await chart(heat.body, {
      height: Math.max(160, new Set(rows.map((r: any) => r.cohort)).size * 18),
      data: { values: rows }, mark: "rect",
      encoding: {
        x: { field: "when", type: "ordinal", title: "Month", axis: { labelAngle: -45 } },
        y: { field: "cohort", type: "ordinal", title: "Enrollment year" },
        color: { field: measure, type: "quantitative", title: measure === "member_share" ? "Still a member" : "Still flying", scale: { scheme: "blues" }, legend: { format: ".0%" } },
        tooltip: [{ field: "cohort" }, { field: "when", title: "Month" }, { field: measure, format: ".1%" }, { field: "cohort_size", format: "," }],
      },
    } as any);
  }
}
