// Model: the honest out-of-time figures with intervals beside the reference's leaky figure,
// the curves, lift, importance and the model card.
import { runOp } from "../api";
import { chart, chartCard } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { label, withUnit } from "../format";

function metric(title: string, value: unknown, ci: unknown, unit: string, testId = "") {
  const interval = Array.isArray(ci) && ci.length === 2
    ? `95% CI ${withUnit(ci[0], unit)} – ${withUnit(ci[1], unit)}`
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
  const m = (await runOp("model_performance")).result;
  const oot = m.out_of_time ?? {};
  const leaky = m.leaky_reference_protocol ?? {};
  root.append(
    h(
      "section",
      { class: "kpis" },
      metric("ROC AUC, out of time", oot.roc_auc, oot.roc_auc_ci, "AUC 0-1", "model-auc"),
      metric("PR AUC, out of time", oot.pr_auc, oot.pr_auc_ci, "AUC 0-1"),
      metric("Base rate (6-month cancellations)", oot.base_rate, null, "fraction"),
      metric("Lift in the top 10%", oot.top_10pct?.lift, oot.top_10pct?.lift_ci, "ratio"),
      metric("Brier score", oot.brier, oot.brier_ci, "squared error 0-1"),
      metric("Reference protocol ROC AUC (leaky)", leaky.roc_auc, leaky.roc_auc_ci, "AUC 0-1", "leaky-auc"),
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
        `its features are measured over the same months in which members cancel (${leaky.why_leaky ?? "the label leaks into the features"}), which gives ROC AUC ${withUnit(leaky.roc_auc, "AUC 0-1")}. `,
        `Ours asks whether a member active at a cutoff cancels in the six months after it ("${m.label}"), from what was known at the cutoff, trained on earlier months and tested on later ones: ROC AUC ${withUnit(oot.roc_auc, "AUC 0-1")} on ${withUnit(oot.n_test, "members")} test rows. `,
        "A different label and a different population, so the two numbers are not a better and a worse score of the same thing.",
      ),
      h(
        "p",
        {},
        supportsForesight
          ? `Its members in the top 10% of scores cancel ${withUnit(oot.top_10pct?.lift, "ratio")} as often as average, and the diagnostics find signal beyond its main feature.`
          : `Its members in the top 10% of scores cancel ${withUnit(oot.top_10pct?.lift, "ratio")} as often as average, but see above: that ranking comes mostly from one feature, not from behaviour a retention team could act on.`,
      ),
      h(
        "p",
        { class: "note" },
        "Baselines on the same test: ",
        Object.entries(m.baselines ?? {})
          .map(([name, b]: [string, any]) => `${label(name)} ${withUnit(b.roc_auc, "AUC 0-1")}`)
          .join("; "),
        ".",
      ),
    ),
  );
  if (diagnostics) {
    const ci = (v: any, unit: string) =>
      Array.isArray(v) && v.length === 2 ? `${withUnit(v[0], unit)} to ${withUnit(v[1], unit)}` : "–";
    const comparisons = Object.entries(diagnostics.comparisons ?? {}).map(([name, c]: [string, any]) =>
      h("tr", {}, h("td", {}, label(name)), h("td", { class: "num" }, withUnit(c.baseline_auc, "AUC 0-1")),
        h("td", { class: "num" }, withUnit(c.auc_difference, "AUC difference")), h("td", { class: "num" }, ci(c.auc_difference_ci, "AUC difference"))));
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
          `Dominant feature: ${dom.name ?? "–"}, ${withUnit(dom.importance_share, "fraction")} of the model's weight; alone it scores ${withUnit(dom.single_auc, "AUC 0-1")}, and the model adds ${withUnit(dom.added_auc, "AUC difference")} (95% interval ${ci(dom.added_auc_ci, "AUC difference")}). `,
          `Within equal values of ${strat.feature ?? "it"} the model ranks leavers at ${withUnit(strat.auc, "AUC 0-1")} (95% interval ${ci(strat.auc_ci, "AUC 0-1")}; 0.5 is chance).`),
        h("p", {},
          `Calibration: Brier skill score ${withUnit(cal.brier_skill_score, "skill score")} against the base rate ${withUnit(cal.base_rate, "fraction")}; slope ${withUnit(cal.slope, "logistic slope")} (95% interval ${ci(cal.slope_ci, "logistic slope")}) and intercept ${withUnit(cal.intercept, "log-odds")}, 1 and 0 when calibrated; ECE / base rate ${withUnit(cal.ece_over_base_rate, "ratio")}.`),
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
  const imp = chartCard("Global feature importance", "Mean absolute contribution (log-odds).");
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
