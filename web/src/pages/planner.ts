// Retention planner: budget, cost per contact and save rate in; the ranked list, the expected
// CAD saved and the ROI curve out; the list as CSV for a CRM.
import { runOp } from "../api";
import { type Catalogue, numberInput, operation, param, resultUnit, titled } from "../catalogue";
import { chart, chartCard } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { withUnit } from "../format";
import { tableCard } from "../table";

// The inputs' defaults, bounds and units come from retention_plan's declared parameters.
function numberField(name: string, title: string, input: ReturnType<typeof numberInput>) {
  const { value, step, min, max } = input;
  return h("label", {}, titled(title, input.unit), h("input", { type: "number", name, value, step, min, max, required: true, "data-testid": `plan-${name}` }));
}

export async function planner(ctx: PageContext): Promise<void> {
  const { root, params, api, go } = ctx;
  const op = operation((await ctx.catalogue) as Catalogue, "retention_plan");
  const budgetInput = numberInput(param(op, "budget_cad"), params.get("budget"));
  const costInput = numberInput(param(op, "cost_per_contact_cad"), params.get("cost"));
  const saveInput = numberInput(param(op, "save_rate"), params.get("save"));
  const listLimit = param(op, "list_limit");
  const [budget, cost, save] = [budgetInput.value, costInput.value, saveInput.value];
  const form = h("form", { class: "inputs" },
    numberField("budget", "Budget", budgetInput),
    numberField("cost", "Cost per contact", costInput),
    numberField("save", "Save rate", saveInput),
    h("button", { type: "submit" }, "Plan"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    go("planner", { budget: String(data.get("budget")), cost: String(data.get("cost")), save: String(data.get("save")) });
  });
  root.append(form);
  const planParams = { budget_cad: Number(budget), cost_per_contact_cad: Number(cost), save_rate: Number(save), list_limit: Number(listLimit.default) };
  const r = (await runOp("retention_plan", planParams, api)).result;
  root.append(h("section", { class: "kpis", "data-testid": "plan-kpis" },
    ...[
      ["Contacts", "contacts"],
      ["Expected saved", "expected_saved_cad"],
      ["Net of cost", "expected_net_cad"],
      ["ROI", "roi"],
      ["Break-even save rate", "break_even_save_rate"],
      ["Worth contacting", "worth_contacting_members"],
    ].map(([t, key]) => [t, withUnit(r[key], resultUnit(op, key))]).map(([t, v]) => h("div", { class: "kpi" }, h("div", { class: "kpi-title" }, t), h("div", { class: "kpi-value" }, v)))));
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
  ], r.units, { op: "retention_plan", params: { ...planParams, list_limit: listLimit.max }, filters: api, table: "rows" }, "plan-list"));
}
