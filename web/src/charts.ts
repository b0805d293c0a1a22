// Vega-Lite charts through vega-embed, with Vega's CSP-safe expression interpreter (the
// server's policy forbids eval) and the SVG renderer.
import type { TopLevelSpec } from "vega-lite";
import { h } from "./dom";

// Vega and Vega-Lite are most of the script: they load as their own chunk, started at boot
// (loadCharts) so that they parse while the page's data is on its way.
let library: Promise<[typeof import("vega-embed"), typeof import("vega-interpreter")]> | null = null;
export function loadCharts() {
  library ??= Promise.all([import("vega-embed"), import("vega-interpreter")]);
  return library;
}

const palette = {
  bar: "#2563eb",
  scheme: "orangered",
};

export async function chart(target: HTMLElement, spec: TopLevelSpec): Promise<void> {
  const full = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: "container",
    autosize: { type: "fit-x", contains: "padding" },
    config: {
      font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
      axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: "#eef0f4" },
      legend: { labelFontSize: 11, titleFontSize: 11 },
      view: { stroke: null },
      bar: { color: palette.bar },
      line: { color: palette.bar },
    },
    ...spec,
  } as TopLevelSpec;
  const [{ default: embed }, { expressionInterpreter }] = await loadCharts();
  const result = await embed(target, full, {
    actions: false,
    renderer: "canvas",
    ast: true,
    expr: expressionInterpreter,
    tooltip: true,
  } as any);
  // The Vega view stays reachable from its element: the browser test reads the scales and
  // finds the bars to hover from it (a canvas holds no elements to ask).
  Object.defineProperty(target, "vegaView", { value: result.view, configurable: true });
}

// A titled card holding one chart.
export function chartCard(title: string, note = ""): { card: HTMLElement; body: HTMLElement } {
  const body = h("div", { class: "chart" });
  const card = h("section", { class: "card" }, h("h3", {}, title), note ? h("p", { class: "note" }, note) : null, body);
  return { card, body };
}

export const scheme = palette.scheme;
