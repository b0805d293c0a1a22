// Retention planner: budget, cost per contact and save rate in; the ranked list, the expected
// CAD saved and the ROI curve out; the list as CSV for a CRM.
import { runOp } from "../api";
import { chart, chartCard } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { withUnit } from "../format";
import { tableCard } from "../table";

function numberField(name: string, title: string, value: string, step: string, min: string, max: string) {
  return h("label", {}, title, h("input", { type: "number", name, value, step, min, max, required: true, "data-testid": `plan-${name}` }));
}

export async function planner(ctx: PageContext): Promise<void> {
  const { root, params, api, go } = ctx;
  const budget = params.get("budget") ?? "10000";
  const cost = params.get("cost") ?? "25";
  const save = params.get("save") ?? "0.2";
  const form = h("form", { class: "inputs" },
    numberField("budget", "Budget (CAD)", budget, "any", "0.01", "1000000000"),
    numberField("cost", "Cost per contact (CAD)", cost, "any", "0.01", "1000000"),
    numberField("save", "Save rate (0-1)", save, "any", "0.001", "1"),
    h("button", { type: "submit" }, "Plan"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    go("planner", { budget: String(data.get("budget")), cost: String(data.get("cost")), save: String(data.get("save")) });
  });
  root.append(form);
  const planParams = { budget_cad: Number(budget), cost_per_contact_cad: Number(cost), save_rate: Number(save), list_limit: 100 };
  const r = (await runOp("retention_plan", planParams, api)).result;
  root.append(h("section", { class: "kpis", "data-testid": "plan-kpis" },
    ...[
      ["Contacts", withUnit(r.contacts, "members")],
      ["Expected saved", withUnit(r.expected_saved_cad, "CAD")],
      ["Net of cost", withUnit(r.expected_net_cad, "CAD")],
      ["ROI", withUnit(r.roi, "ratio")],
      ["Break-even save rate", withUnit(r.break_even_save_rate, "fraction")],
      ["Worth contacting", withUnit(r.worth_contacting_members, "members")],
    ].map(([t, v]) => h("div", { class: "kpi" }, h("div", { class: "kpi-title" }, t), h("div", { class: "kpi-value" }, v)))));
  root.append(h("p", { class: "note" }, r.note));
  const curve = chartCard("ROI curve", "Expected saving net of cost as the budget grows; the dot marks this budget.");
  root.append(curve.card);
  if (r.roi_curve?.length) {
    await chart(curve.body, {
      height: 240,
      data: { values: r.roi_curve },
      encoding: {
        x: { field: "cost_cad", type: "quantitative", title: "Spend (CAD)", axis: { format: ",.0f" } },
        y: { field: "expected_net_cad", type: "quantitative", title: "Expected net saving (CAD)", axis: { format: ",.0f" } },
      },
      layer: [
        { mark: "line" },
        { mark: { type: "point", filled: true, size: 50 }, encoding: {
          color: { field: "within_budget", type: "nominal", title: "Within budget", scale: { domain: [true, false], range: ["#2563eb", "#cbd5e1"] } },
          tooltip: [{ field: "contacts", format: "," }, { field: "cost_cad", format: ",.0f" }, { field: "expected_saved_cad", format: ",.0f" }, { field: "expected_net_cad", format: ",.0f" }, { field: "roi", format: ".2f" }] } },
      ],
    } as any);
  } else {
    curve.body.append(h("p", { class: "empty" }, "Nobody in this slice is worth contacting at this cost and save rate."));
  }
  root.append(tableCard("Target list", r.rows, [
    { key: "rank" }, { key: "loyalty_number", title: "Loyalty #" },
    { key: "province" }, { key: "rfm_segment", title: "Segment" }, { key: "clv", title: "CLV" },
    { key: "churn_probability" }, { key: "churn_score", title: "Value at risk" },
    { key: "expected_saved_cad", title: "Expected saved" }, { key: "expected_net_cad", title: "Net" }, { key: "reason_1", title: "Top reason" },
  ], r.units, { op: "retention_plan", params: { ...planParams, list_limit: 1000 }, filters: api, table: "rows" }, "plan-list"));
}
