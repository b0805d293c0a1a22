// Survival and cohorts: Kaplan-Meier membership curves by segment or card, the cancellation
// hazard by month of membership with its spike months, and enrollment cohorts' retention as a
// heatmap.
import { runOp } from "../api";
import { chart, chartCard } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { decimal, integer, percent } from "../format";

const GROUPS: [string, string][] = [["none", "Everyone"], ["rfm_segment", "RFM segment"], ["loyalty_card", "Loyalty card"], ["enrollment_type", "Enrollment type"]];

// The sentence over the hazard chart, worded from the tenure_hazard result (its peak spike,
// the other spikes, or none).
export function hazardSentence(r: any): string {
  if (!r.cancellations) return "No cancellations in this slice.";
  const peak = r.peak;
  if (!peak) {
    return `No month of membership stands out: over ${integer(r.cancellations)} cancellations, no month's hazard passes the spike rule.`;
  }
  const ratio = peak.ratio === null
    ? "with no cancellation in the neighbouring months"
    : `${decimal(peak.ratio, 0)}× the neighbouring months' rate`;
  const others = r.spikes.filter((s: any) => s.tenure_months !== peak.tenure_months).map((s: any) => `month ${s.tenure_months} (${integer(s.events)})`);
  return `Cancellations peak in month ${peak.tenure_months} of membership: ${integer(peak.events)} of ${integer(r.cancellations)} cancellations (${percent(peak.share_of_cancellations, 0)}), ${ratio}.` +
    (others.length ? ` Other spike months: ${others.join(", ")}.` : "");
}

async function hazardChart(body: HTMLElement, r: any): Promise<void> {
  const plot = h("div", { class: "chart" });  // vega-embed replaces its target's children
  body.append(h("p", { class: "lead", "data-testid": "hazard-sentence", "data-month": r.peak?.tenure_months ?? null }, hazardSentence(r)), plot);
  if (!r.rows.length) return;
  const rows = r.rows.map((row: any) => ({ ...row, month: row.is_spike ? "Spike month" : "Other months" }));
  await chart(plot, {
    height: 240, data: { values: rows },
    encoding: {
      x: { field: "tenure_months", type: "ordinal", title: "Months since enrollment", axis: { labelAngle: 0, labelOverlap: true } },
    },
    layer: [
      {
        mark: "bar",
        encoding: {
          y: { field: "hazard", type: "quantitative", title: "Cancellation hazard", axis: { format: ".1%" } },
          color: { field: "month", type: "nominal", title: null, scale: { domain: ["Other months", "Spike month"], range: ["#93b4f5", "#dc2626"] } },
          tooltip: [
            { field: "tenure_months", title: "Month" }, { field: "hazard", format: ".2%" },
            { field: "ci_low", title: "95% low", format: ".2%" }, { field: "ci_high", title: "95% high", format: ".2%" },
            { field: "events", title: "Cancellations", format: "," }, { field: "at_risk", title: "At risk", format: "," },
            { field: "neighbour_hazard", title: "Neighbours' hazard", format: ".2%" }, { field: "ratio", format: ".1f" },
          ],
        },
      },
      { mark: { type: "rule", color: "#475569", opacity: 0.7 }, encoding: { y: { field: "ci_low", type: "quantitative" }, y2: { field: "ci_high" } } },
    ],
  } as any);
}

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
  const [curves, hazard, cohorts] = await Promise.all([
    runOp("retention_curve", { group_by: groupBy }, api),
    runOp("tenure_hazard", {}, api),
    runOp("cohort_retention", {}, api),
  ]);
  const points = curves.result.curves.flatMap((c: any) => c.points.map((p: any) => ({ ...p, group: c.group })));
  const km = chartCard("Kaplan-Meier membership survival", curves.result.note);
  const haz = chartCard("Cancellation hazard by month of membership", hazard.result.rule);
  haz.card.setAttribute("data-testid", "tenure-hazard");
  const heat = chartCard("Enrollment cohorts", cohorts.result.note);
  root.append(km.card, haz.card, heat.card);
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
  await hazardChart(haz.body, hazard.result);
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
