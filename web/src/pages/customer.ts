// Customer 360: one member by loyalty number, or a search by province, segment, card and risk
// tier (pages/customer_finder.ts) that lists the members to open.
import { ApiError, get } from "../api";
import { chart, chartCard } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { label, withUnit } from "../format";
import { finder } from "./customer_finder";

function facts(title: string, pairs: [string, string][], testId = ""): HTMLElement {
  return h(
    "section",
    { class: "card", "data-testid": testId || null },
    h("h3", {}, title),
    h("dl", { class: "facts" }, pairs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
  );
}

export async function customer(ctx: PageContext): Promise<void> {
  const { root, params, go } = ctx;
  const id = params.get("id") ?? "";
  const input = h("input", { type: "search", inputmode: "numeric", placeholder: "Loyalty number, e.g. 100018", value: id, "aria-label": "Loyalty number", "data-testid": "customer-id" }) as HTMLInputElement;
  const form = h("form", { class: "search", onsubmit: (e: Event) => { e.preventDefault(); go("customer", { id: input.value.trim() }); } },
    input, h("button", { type: "submit" }, "Look up"));
  root.append(form);
  if (!id) {
    root.append(h("p", { class: "note" }, "Enter a loyalty number, or find members by province, segment, card and risk tier below (the filter bar narrows the list too)."));
    await finder(ctx);
    return;
  }
  root.append(h("p", {}, h("a", { href: "#/customer", "data-testid": "back-to-search", onclick: (e: Event) => { e.preventDefault(); go("customer"); } }, "← Back to the search")));
  if (!/^[0-9]{1,12}$/.test(id)) {
    root.append(h("div", { class: "notice" }, "A loyalty number is digits only."));
    return;
  }
  let out: any;
  try {
    out = await get(`/api/customers/${id}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      root.append(h("div", { class: "notice", "data-testid": "customer-missing" }, e.message));
      return;
    }
    throw e;
  }
  const p = out.result;
  const u = p.units ?? {};
  const a = p.attributes;
  const churn = p.churn;
  const grid = h("div", { class: "grid" });
  root.append(h("h2", { "data-testid": "customer-title" }, `Member ${p.loyalty_number}`), grid);
  const profile: [string, string][] = Object.entries(a).map(([k, v]) => [label(k), withUnit(v, u[k])]);
  grid.append(
    facts("Profile", profile, "customer-profile"),
    facts("RFM", [
      ["Segment", String(p.rfm.rfm_segment ?? "–")],
      ["Recency", withUnit(p.rfm.recency, "months")],
      ["Frequency", withUnit(p.rfm.frequency, "flights") + " flights"],
      ["Monetary", withUnit(p.rfm.monetary, "km")],
      ["R / F / M scores", `${p.rfm.r_score} / ${p.rfm.f_score} / ${p.rfm.m_score}`],
    ]),
    h("section", { class: "card", "data-testid": "customer-churn" },
      h("h3", {}, "Churn"),
      h("div", { class: "big" }, withUnit(churn.churn_probability, "fraction")),
      h("p", { class: "note" }, `probability of cancelling in the next 6 months (${churn.scoring_status}${churn.risk_tier ? ", " + churn.risk_tier + " risk" : ""})`),
      h("p", {}, "Value at risk: ", h("strong", {}, withUnit(churn.churn_score, "CAD")), " (probability × CLV)"),
      churn.reasons.length ? h("ol", { class: "reasons" }, churn.reasons.map((r: string) => h("li", {}, r))) : h("p", { class: "note" }, "No reasons: this member is not scored."),
    ),
  );
  const activity = chartCard("24-month activity", "Flights per month; distance in the tooltip.");
  root.append(activity.card);
  const values = p.activity.map((m: any) => ({ ...m, when: `${m.year}-${String(m.month).padStart(2, "0")}` }));
  await chart(activity.body, {
    height: 200,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: { field: "when", type: "ordinal", title: "Month", axis: { labelAngle: -45 } },
      y: { field: "total_flights", type: "quantitative", title: "Flights" },
      tooltip: [{ field: "when", title: "Month" }, { field: "total_flights", title: "Flights" }, { field: "distance", title: "Distance (km)", format: "," }, { field: "points_accumulated", title: "Points", format: "," }],
    },
  } as any);
}
