// Model health: each past scoring's realized performance against what its model was expected
// to do, with intervals; the latest scoring's drift; the latest export's quality; the alerts.
import { runOp } from "../api";
import { type Catalogue, operation, unitLookup } from "../catalogue";
import { chart, chartCard } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { withUnit } from "../format";
import { tableCard } from "../table";

// The result fields (model_health's declared schema) whose units this page shows; it asks the
// schema for these and no others (tests/page_units.test.ts checks that each is declared).
export const HEALTH_UNIT_PATHS = [
  "realized.matured_share",
  "realized.roc_auc", "realized.roc_auc_ci",
  "realized.expected_roc_auc", "realized.expected_roc_auc_ci",
  "realized.lift_top10", "realized.lift_top10_ci",
  "realized.observed_rate", "realized.observed_rate_ci",
  "realized.mean_predicted",
  "drift.features.importance_rank", "drift.features.psi", "drift.features.mean_change",
  "data_quality.quarantine_rate", "data_quality.previous_quarantine_rate",
  "data_quality.missing_month_rate", "data_quality.previous_missing_month_rate",
] as const;

function withInterval(v: unknown, unit: string | undefined, ci: unknown, ciUnit: string | undefined): string {
  const interval = Array.isArray(ci) && ci.length === 2 && ci[0] != null
    ? ` [${withUnit(ci[0], ciUnit)}, ${withUnit(ci[1], ciUnit)}]`
    : "";
  return withUnit(v, unit) + interval;
}

function kpi(title: string, value: string, testId: string, note = ""): HTMLElement {
  return h("div", { class: "kpi", "data-testid": testId },
    h("div", { class: "kpi-title" }, title),
    h("div", { class: "kpi-value" }, value),
    h("div", { class: "kpi-delta same" }, note));
}

// Realized ROC AUC by scoring month with its 95% interval, beside the expected interval.
function aucChart(rows: any[]): any {
  const values = rows.filter((r) => r.roc_auc != null).map((r) => ({
    scored_month: r.scored_month, status: r.status, roc_auc: r.roc_auc,
    low: r.roc_auc_ci?.[0], high: r.roc_auc_ci?.[1],
    expected: r.expected_roc_auc, expected_low: r.expected_roc_auc_ci?.[0] ?? r.expected_roc_auc,
    expected_high: r.expected_roc_auc_ci?.[1] ?? r.expected_roc_auc, matured: r.matured_share,
  }));
  const x = { field: "scored_month", type: "ordinal", title: "Scoring month" };
  return {
    height: 240,
    data: { values },
    layer: [
      { mark: { type: "bar", opacity: 0.18, color: "#6b7280", width: { band: 0.7 } },
        encoding: { x, y: { field: "expected_low", type: "quantitative", title: "ROC AUC", scale: { zero: false } }, y2: { field: "expected_high" } } },
      { mark: { type: "tick", color: "#6b7280", thickness: 2 }, encoding: { x, y: { field: "expected", type: "quantitative" } } },
      { mark: { type: "rule" }, encoding: { x, y: { field: "low", type: "quantitative" }, y2: { field: "high" } } },
      { mark: { type: "point", filled: true, size: 70 }, encoding: {
        x, y: { field: "roc_auc", type: "quantitative" },
        color: { field: "status", type: "nominal", scale: { domain: ["ok", "watch", "degraded"], range: ["#15803d", "#b45309", "#b91c1c"] }, title: "Status" },
        tooltip: [{ field: "scored_month", title: "Scored" }, { field: "roc_auc", format: ".3f", title: "Realized ROC AUC" },
          { field: "low", format: ".3f", title: "95% low" }, { field: "high", format: ".3f", title: "95% high" },
          { field: "expected", format: ".3f", title: "Expected" }, { field: "matured", format: ".0%", title: "Matured" }] } },
    ],
  };
}

export async function health(ctx: PageContext): Promise<void> {
  const { root } = ctx;
  const [catalogue, answer] = await Promise.all([ctx.catalogue, runOp("model_health")]);
  const unit = unitLookup(operation(catalogue as Catalogue, "model_health"), HEALTH_UNIT_PATHS);
  const m = answer.result;
  const alerts: any[] = m.alerts ?? [];
  const raised = alerts.filter((a) => a.severity === "alert");
  root.append(h("section", { class: "kpis" },
    kpi("Current model", m.current_model_id ?? "–", "health-model", `data through ${m.data_last_month ?? "–"}`),
    kpi("Past scorings judged", String(m.realized?.length ?? 0), "health-judged",
      `${m.statuses?.ok ?? 0} ok · ${m.statuses?.watch ?? 0} watch · ${m.statuses?.degraded ?? 0} degraded`),
    kpi("Alerts", String(raised.length), "health-alert-count", `${alerts.length - raised.length} to watch`),
    kpi("Retraining", m.retrain?.due ? "due" : "not due", "health-retrain", m.retrain?.due ? "at the next export" : "the model is kept")));

  const rows = (m.realized ?? []).map((r: any) => ({
    scored_month: r.scored_month, model_id: r.model_id, matured_share: r.matured_share,
    roc_auc: withInterval(r.roc_auc, unit("realized.roc_auc"), r.roc_auc_ci, unit("realized.roc_auc_ci")),
    expected_roc_auc: `${withInterval(r.expected_roc_auc, unit("realized.expected_roc_auc"), r.expected_roc_auc_ci, unit("realized.expected_roc_auc_ci"))} (${r.expected_source === "backtest" ? "backtest" : "calibration"} ${r.expected_cutoff})`,
    lift_top10: withInterval(r.lift_top10, unit("realized.lift_top10"), r.lift_top10_ci, unit("realized.lift_top10_ci")),
    observed_rate: withInterval(r.observed_rate, unit("realized.observed_rate"), r.observed_rate_ci, unit("realized.observed_rate_ci")),
    mean_predicted: r.mean_predicted, status: r.status, status_reason: r.status_reason,
  }));
  const plot = chartCard("Realized against expected ROC AUC", "Dots: each scoring's realized ROC AUC with its 95% interval; grey: its model's expected interval and figure.");
  plot.card.classList.add("wide");
  root.append(plot.card);
  if (rows.length) await chart(plot.body, aucChart(m.realized));
  else plot.body.append(h("p", { class: "empty" }, "No scoring has had a month of outcomes yet."));
  root.append(tableCard("Realized performance by scoring month", rows,
    [{ key: "scored_month", title: "Scored" }, { key: "model_id", title: "Model" }, { key: "matured_share", title: "Matured", unit: unit("realized.matured_share") },
     { key: "roc_auc", title: "ROC AUC [95%]" }, { key: "expected_roc_auc", title: "Expected ROC AUC [95%]" },
     { key: "lift_top10", title: "Top-10% lift [95%]" }, { key: "observed_rate", title: "Observed rate [95%]" },
     { key: "mean_predicted", title: "Mean predicted", unit: unit("realized.mean_predicted") }, { key: "status", title: "Status" }, { key: "status_reason", title: "Why" }],
    {}, { op: "model_health", params: {}, filters: {}, table: "realized" }, "health-realized"));
  if ((m.pending ?? []).length) {
    root.append(h("p", { class: "note", "data-testid": "health-pending" },
      `Not matured yet: ${m.pending.map((p: any) => p.scored_month).join(", ")} (their outcome windows start next month).`));
  }
  const drift = m.drift;
  if (drift) {
    root.append(tableCard(`Drift at ${drift.scored_month} against the model's reference (${drift.reference_month})`,
      [...drift.features, { feature: "churn_probability (the score)", importance_rank: null, top5: null, psi: drift.score_psi, shift: drift.score_shift }]
        .map((f: any) => ({ ...f, top5: f.top5 == null ? "" : f.top5 ? "yes" : "" })),
      [{ key: "feature", title: "Variable" }, { key: "importance_rank", title: "Importance rank", unit: unit("drift.features.importance_rank") }, { key: "top5", title: "Top 5" },
       { key: "psi", title: "PSI", unit: unit("drift.features.psi") }, { key: "shift", title: "Shift" },
       { key: "mean_change", title: "Mean change", unit: unit("drift.features.mean_change") }],
      {}, undefined, "health-drift"));
  }
  root.append(h("section", { class: "card wide", "data-testid": "health-alerts" }, h("h3", {}, "Alerts"),
    alerts.length
      ? h("ul", {}, alerts.map((a: any) => h("li", { class: a.severity === "alert" ? "alert" : "watch", "data-kind": a.kind },
          `${a.severity === "alert" ? "Alert" : "Watch"}: ${a.message}${a.retrain ? " — retrains the model" : ""}`)))
      : h("p", { class: "empty" }, "Nothing raised: every judged scoring is within expectations and nothing drifted.")));
  const q = m.data_quality;
  if (q) {
    root.append(h("p", { class: "note", "data-testid": "health-quality" },
      `Latest export ${q.arrival}: quarantine rate ${withUnit(q.quarantine_rate, unit("data_quality.quarantine_rate"))}` +
      (q.previous_arrival ? ` (previous ${withUnit(q.previous_quarantine_rate, unit("data_quality.previous_quarantine_rate"))})` : "") +
      `, missing member-months ${withUnit(q.missing_month_rate, unit("data_quality.missing_month_rate"))}` +
      (q.previous_arrival ? ` (previous ${withUnit(q.previous_missing_month_rate, unit("data_quality.previous_missing_month_rate"))}).` : ".")));
  }
  root.append(h("section", { class: "card wide explain" }, h("h3", {}, "Rules"),
    h("ul", {}, Object.entries(m.rules ?? {}).map(([k, v]) => h("li", {}, h("strong", {}, `${k}: `), String(v))))));
}
