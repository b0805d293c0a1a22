// Model: the honest out-of-time figures with intervals beside the reference's leaky figure,
// the curves, lift, importance and the model card.
import { runOp } from "../api";
import { type Catalogue, operation, titled, unitLookup } from "../catalogue";
import { chart, chartCard } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { label, withUnit } from "../format";

// The result fields (model_performance's declared schema) whose units this page shows; it asks
// the schema for these and no others (tests/page_units.test.ts checks that each is declared).
// "baselines" and "diagnostics.comparisons" are maps: the path goes on to their values' fields.
export const MODEL_UNIT_PATHS = [
  "out_of_time.roc_auc", "out_of_time.roc_auc_ci",
  "out_of_time.pr_auc", "out_of_time.pr_auc_ci",
  "out_of_time.base_rate",
  "out_of_time.top_10pct.lift", "out_of_time.top_10pct.lift_ci",
  "out_of_time.brier", "out_of_time.brier_ci",
  "out_of_time.n_test",
  "leaky_reference_protocol.roc_auc", "leaky_reference_protocol.roc_auc_ci",
  "baselines.roc_auc",
  "diagnostics.comparisons.baseline_auc", "diagnostics.comparisons.auc_difference", "diagnostics.comparisons.auc_difference_ci",
  "diagnostics.dominant_feature.importance_share", "diagnostics.dominant_feature.single_auc",
  "diagnostics.dominant_feature.added_auc", "diagnostics.dominant_feature.added_auc_ci",
  "diagnostics.stratified_auc.auc", "diagnostics.stratified_auc.auc_ci",
  "diagnostics.calibration.brier_skill_score", "diagnostics.calibration.base_rate",
  "diagnostics.calibration.slope", "diagnostics.calibration.slope_ci",
  "diagnostics.calibration.intercept", "diagnostics.calibration.ece_over_base_rate",
  "charts.feature_importance.mean_abs_contribution",
] as const;

function metric(title: string, value: unknown, unit: string | undefined, ci: unknown, ciUnit: string | undefined, testId = "") {
  const interval = Array.isArray(ci) && ci.length === 2
    ? `95% CI ${withUnit(ci[0], ciUnit)} – ${withUnit(ci[1], ciUnit)}`
    : "";
  return h(
    "div",
    { class: "kpi", "data-testid": testId || null },
    h("div", { class: "kpi-title" }, title),
    h("div", { class: "kpi-value" }, withUnit(value, unit)),
    h("div", { class: "kpi-delta same" }, interval),
  );
}

export async function model(ctx: PageContext): Promise<void> {
  const { root } = ctx;
  const [catalogue, answer] = await Promise.all([ctx.catalogue, runOp("model_performance")]);
  const unit = unitLookup(operation(catalogue as Catalogue, "model_performance"), MODEL_UNIT_PATHS);
  const m = answer.result;
  const oot = m.out_of_time ?? {};
  const leaky = m.leaky_reference_protocol ?? {};
  root.append(
    h(
      "section",
      { class: "kpis" },
      metric("ROC AUC, out of time", oot.roc_auc, unit("out_of_time.roc_auc"), oot.roc_auc_ci, unit("out_of_time.roc_auc_ci"), "model-auc"),
      metric("PR AUC, out of time", oot.pr_auc, unit("out_of_time.pr_auc"), oot.pr_auc_ci, unit("out_of_time.pr_auc_ci")),
      metric("Base rate (6-month cancellations)", oot.base_rate, unit("out_of_time.base_rate"), null, undefined),
      metric("Lift in the top 10%", oot.top_10pct?.lift, unit("out_of_time.top_10pct.lift"), oot.top_10pct?.lift_ci, unit("out_of_time.top_10pct.lift_ci")),
      metric("Brier score", oot.brier, unit("out_of_time.brier"), oot.brier_ci, unit("out_of_time.brier_ci")),
      metric("Reference protocol ROC AUC (leaky)", leaky.roc_auc, unit("leaky_reference_protocol.roc_auc"), leaky.roc_auc_ci, unit("leaky_reference_protocol.roc_auc_ci"), "leaky-auc"),
    ),
  );
  const signal = m.signal ?? null;
  const diagnostics = m.diagnostics ?? null;
  if (signal) {
    // What the data supports, in the words train wrote into metrics.json.
    root.append(
      h(
        "section",
        { class: `card wide explain signal${signal.one_feature_model ? " warning" : ""}`, "data-testid": "model-signal" },
        h("h3", {}, signal.one_feature_model ? "This model is mostly one rule" : "What the model knows"),
        h("p", { class: "signal-headline" }, signal.headline),
        h("ul", {}, (signal.sentences ?? []).map((t: string) => h("li", {}, t))),
      ),
    );
  }
  const supportsForesight = signal ? signal.behaviour_signal === "present" : false;
  root.append(
    h(
      "section",
      { class: "card wide explain" },
      h("h3", {}, "Why our figure is lower than the reference's"),
      h(
        "p",
        { "data-testid": "why-lower" },
        "The two figures answer different questions. ",
        `The reference labels a member "${leaky.label ?? "cancelled or inactive"}" at the end of the data and scores every member, cancelled ones included, on a random 70/30 split; `,
        `its features are measured over the same months in which members cancel (${leaky.why_leaky ?? "the label leaks into the features"}), which gives ROC AUC ${withUnit(leaky.roc_auc, unit("leaky_reference_protocol.roc_auc"))}. `,
        `Ours asks whether a member active at a cutoff cancels in the six months after it ("${m.label}"), from what was known at the cutoff, trained on earlier months and tested on later ones: ROC AUC ${withUnit(oot.roc_auc, unit("out_of_time.roc_auc"))} on ${withUnit(oot.n_test, unit("out_of_time.n_test"))} test rows. `,
        "A different label and a different population, so the two numbers are not a better and a worse score of the same thing.",
      ),
      h(
        "p",
        {},
        supportsForesight
          ? `Its members in the top 10% of scores cancel ${withUnit(oot.top_10pct?.lift, unit("out_of_time.top_10pct.lift"))} as often as average, and the diagnostics find signal beyond its main feature.`
          : `Its members in the top 10% of scores cancel ${withUnit(oot.top_10pct?.lift, unit("out_of_time.top_10pct.lift"))} as often as average, but see above: that ranking comes mostly from one feature, not from behaviour a retention team could act on.`,
      ),
      h(
        "p",
        { class: "note" },
        "Baselines on the same test: ",
        Object.entries(m.baselines ?? {})
          .map(([name, b]: [string, any]) => `${label(name)} ${withUnit(b.roc_auc, unit("baselines.roc_auc"))}`)
          .join("; "),
        ".",
      ),
    ),
  );
  if (diagnostics) {
    const ci = (v: any, ciUnit: string | undefined) =>
      Array.isArray(v) && v.length === 2 ? `${withUnit(v[0], ciUnit)} to ${withUnit(v[1], ciUnit)}` : "–";
    const comparisons = Object.entries(diagnostics.comparisons ?? {}).map(([name, c]: [string, any]) =>
      h("tr", {}, h("td", {}, label(name)), h("td", { class: "num" }, withUnit(c.baseline_auc, unit("diagnostics.comparisons.baseline_auc"))),
        h("td", { class: "num" }, withUnit(c.auc_difference, unit("diagnostics.comparisons.auc_difference"))), h("td", { class: "num" }, ci(c.auc_difference_ci, unit("diagnostics.comparisons.auc_difference_ci")))));
    const cal = diagnostics.calibration ?? {};
    const dom = diagnostics.dominant_feature ?? {};
    const strat = diagnostics.stratified_auc ?? {};
    root.append(
      h(
        "section",
        { class: "card wide", "data-testid": "model-diagnostics" },
        h("h3", {}, "Diagnostics (out-of-time test cutoff)"),
        h("table", { class: "data" },
          h("thead", {}, h("tr", {}, h("th", {}, "This model against"), h("th", {}, "Its ROC AUC"), h("th", {}, "Difference"), h("th", {}, "95% interval"))),
          h("tbody", {}, comparisons)),
        h("p", {},
          `Dominant feature: ${dom.name ?? "–"}, ${withUnit(dom.importance_share, unit("diagnostics.dominant_feature.importance_share"))} of the model's weight; alone it scores ${withUnit(dom.single_auc, unit("diagnostics.dominant_feature.single_auc"))}, and the model adds ${withUnit(dom.added_auc, unit("diagnostics.dominant_feature.added_auc"))} (95% interval ${ci(dom.added_auc_ci, unit("diagnostics.dominant_feature.added_auc_ci"))}). `,
          `Within equal values of ${strat.feature ?? "it"} the model ranks leavers at ${withUnit(strat.auc, unit("diagnostics.stratified_auc.auc"))} (95% interval ${ci(strat.auc_ci, unit("diagnostics.stratified_auc.auc_ci"))}; 0.5 is chance).`),
        h("p", {},
          `Calibration: Brier skill score ${withUnit(cal.brier_skill_score, unit("diagnostics.calibration.brier_skill_score"))} against the base rate ${withUnit(cal.base_rate, unit("diagnostics.calibration.base_rate"))}; slope ${withUnit(cal.slope, unit("diagnostics.calibration.slope"))} (95% interval ${ci(cal.slope_ci, unit("diagnostics.calibration.slope_ci"))}) and intercept ${withUnit(cal.intercept, unit("diagnostics.calibration.intercept"))}, 1 and 0 when calibrated; ECE / base rate ${withUnit(cal.ece_over_base_rate, unit("diagnostics.calibration.ece_over_base_rate"))}.`),
        h("p", { class: "note" }, diagnostics.one_feature_rule ?? ""),
        m.protocol?.choices?.length
          ? h("p", { class: "note", "data-testid": "model-protocol" },
              `Settings chosen on validation cutoff ${m.protocol.validation_cutoff ?? "–"}, before the first test cutoff ${m.protocol.first_test_cutoff ?? "–"}: `,
              m.protocol.choices.map((c: any) => `${c.setting} ${c.chosen} (${c.chosen_on})`).join("; "), ".")
          : "",
      ),
    );
  }
  const charts = m.charts ?? {};
  const grid = h("div", { class: "grid" });
  root.append(grid);
  const rel = chartCard("Reliability", "Predicted probability against the observed rate, equal-mass bins.");
  const roc = chartCard("ROC curve", "Out-of-time test set.");
  const pr = chartCard("Precision-recall curve", "Out-of-time test set.");
  const lift = chartCard("Lift by decile", "Decile 1 holds the highest scores.");
  const imp = chartCard("Global feature importance", `${titled("Mean absolute contribution", unit("charts.feature_importance.mean_abs_contribution"))}.`);
  grid.append(rel.card, roc.card, pr.card, lift.card, imp.card);
  const missing = (body: HTMLElement) =>
    body.append(h("p", { class: "empty" }, "Not in this lake's metrics; run `airline-analytics train --force`."));
  const diagonal = { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: "line", strokeDash: [4, 4], color: "#9ca3af" }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } };
  const jobs: Promise<void>[] = [];
  if (charts.reliability?.length) {
    const maxP = Math.max(...charts.reliability.map((b: any) => Math.max(b.mean_probability, b.fraction_positive)));
    jobs.push(chart(rel.body, {
      height: 220,
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: maxP, y: maxP }] }, mark: { type: "line", strokeDash: [4, 4], color: "#9ca3af" }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } },
        { data: { values: charts.reliability }, mark: { type: "line", point: true }, encoding: {
          x: { field: "mean_probability", type: "quantitative", title: "Mean predicted probability", axis: { format: ".1%" } },
          y: { field: "fraction_positive", type: "quantitative", title: "Observed rate", axis: { format: ".1%" } },
          tooltip: [{ field: "mean_probability", format: ".2%" }, { field: "fraction_positive", format: ".2%" }, { field: "count", format: "," }] } },
      ],
    } as any));
  } else missing(rel.body);
  if (charts.roc?.length) {
    jobs.push(chart(roc.body, { height: 220, layer: [diagonal, { data: { values: charts.roc }, mark: "line", encoding: {
      x: { field: "false_positive_rate", type: "quantitative", title: "False positive rate" },
      y: { field: "true_positive_rate", type: "quantitative", title: "True positive rate" } } }] } as any));
  } else missing(roc.body);
  if (charts.pr?.length) {
    jobs.push(chart(pr.body, { height: 220, data: { values: charts.pr }, mark: "line", encoding: {
      x: { field: "recall", type: "quantitative", title: "Recall" },
      y: { field: "precision", type: "quantitative", title: "Precision" } } } as any));
  } else missing(pr.body);
  if (charts.lift_by_decile?.length) {
    jobs.push(chart(lift.body, { height: 220, data: { values: charts.lift_by_decile }, mark: "bar", encoding: {
      x: { field: "decile", type: "ordinal", title: "Score decile" },
      y: { field: "lift", type: "quantitative", title: "Lift" },
      tooltip: [{ field: "decile" }, { field: "members", format: "," }, { field: "positives", format: "," }, { field: "churn_rate", format: ".2%" }, { field: "lift", format: ".2f" }, { field: "cumulative_recall", format: ".1%" }] } } as any));
  } else missing(lift.body);
  if (charts.feature_importance?.length) {
    const top = charts.feature_importance.slice(0, 15);
    jobs.push(chart(imp.body, { height: top.length * 20, data: { values: top }, mark: "bar", encoding: {
      y: { field: "feature", type: "nominal", sort: "-x", title: null },
      x: { field: "mean_abs_contribution", type: "quantitative", title: "Mean |contribution|" } } } as any));
  } else missing(imp.body);
  await Promise.all(jobs);
  root.append(
    h("section", { class: "card wide" }, h("h3", {}, "Model card"),
      m.model_card ? h("pre", { class: "model-card" }, m.model_card) : h("p", { class: "empty" }, "No model card in this lake.")),
  );
}
