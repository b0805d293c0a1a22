// The dashboard shell: header, navigation, the filter bar (kept in the URL) and the router.
import "./style.css";
import { ApiError, get, setToken } from "./api";
import { loadCharts } from "./charts";
import type { Page, PageContext } from "./context";
import { clear, h } from "./dom";
import { activeCount, emptyFilters, type FilterSpec, type Filters, filterSpecs, fromQuery, parseHash, setFilterSchema, toApi, toQuery } from "./filters";
import { integer } from "./format";
import { analyst } from "./pages/analyst";
import { customer } from "./pages/customer";
import { health as modelHealth } from "./pages/health";
import { model } from "./pages/model";
import { overview } from "./pages/overview";
import { planner } from "./pages/planner";
import { quality } from "./pages/quality";
import { survival } from "./pages/survival";

const PAGES: { id: string; title: string; render: Page }[] = [
  { id: "overview", title: "Overview", render: overview },
  { id: "model", title: "Model", render: model },
  { id: "health", title: "Model health", render: modelHealth },
  { id: "customer", title: "Customer 360", render: customer },
  { id: "planner", title: "Retention planner", render: planner },
  { id: "survival", title: "Survival & cohorts", render: survival },
  { id: "quality", title: "Data quality", render: quality },
  { id: "analyst", title: "AI analyst", render: analyst },
];
const PAGE_PARAMS = new Set(["id", "budget", "cost", "save", "by", "measure", "q", "sort", "dir"]);

let catalogue: any = null;
let health: any = null;
// The server's health and catalogue, asked for once at start; pages do not wait for them.
let meta: Promise<[any, any]> = Promise.resolve([null, null]);
let renderCount = 0;

const app = document.getElementById("app")!;
const nav = h("nav", { "aria-label": "Pages" });
const status = h("div", { class: "status-line" });
const filterBar = h("form", { class: "filters", "aria-label": "Filters" });
const main = h("main", {});
app.append(
  h("header", {}, h("div", { class: "brand" }, h("strong", {}, "Airline Customer Analytics"), status), nav),
  filterBar,
  main,
);

function current(): { page: string; filters: Filters; params: URLSearchParams } {
  const { page, query } = parseHash(location.hash);
  const all = new URLSearchParams(query);
  const params = new URLSearchParams();
  for (const [k, v] of all) if (PAGE_PARAMS.has(k)) params.set(k, v);
  return { page, filters: fromQuery(query), params };
}

function go(page: string, extra: Record<string, string> = {}, filters?: Filters): void {
  const f = filters ?? current().filters;
  const query = toQuery(f, extra);
  location.hash = `#/${page}${query ? "?" + query : ""}`;
}

function multi(key: string, title: string, choices: string[], f: Filters): HTMLElement {
  const chosen = new Set(f[key] as string[]);
  const summary = h("summary", {}, `${title}${chosen.size ? ` (${chosen.size})` : ": all"}`);
  return h("details", { class: "multi", "data-filter": key }, summary,
    h("div", { class: "choices" }, choices.map((c) => h("label", {},
      h("input", { type: "checkbox", name: key, value: c, checked: chosen.has(c) }), c))));
}

function single(key: string, title: string, choices: string[], f: Filters): HTMLElement {
  return h("label", {}, title,
    h("select", { name: key, "data-filter": key },
      h("option", { value: "" }, "All"), choices.map((c) => h("option", { value: c, selected: f[key] === c }, c))));
}

function range(key: string, title: string, value: number | null, step: string): HTMLElement {
  return h("input", { type: "number", name: key, min: "0", step, placeholder: key.endsWith("min") ? "min" : "max", "aria-label": title, value: value ?? "", "data-filter": key });
}

function readFilterBar(): Filters {
  const f = emptyFilters();
  const data = new FormData(filterBar);
  for (const s of filterSpecs()) {
    if (s.kind === "list") {
      f[s.key] = data.getAll(s.key).map(String);
    } else if (s.kind === "one") {
      f[s.key] = String(data.get(s.key) ?? "");
    } else {
      const v = String(data.get(s.key) ?? "").trim();
      f[s.key] = v === "" || !Number.isFinite(Number(v)) || Number(v) < 0 ? null : Number(v);
    }
  }
  return f;
}

// The bar, in the schema's order: a list filter as checkboxes, a one-value filter as a select,
// a range's two bounds side by side under its label and unit.
function drawFilterBar(f: Filters): void {
  clear(filterBar);
  const specs = filterSpecs();
  const bounds = (stem: string, bound: string) => specs.find((s) => s.range === stem && s.bound === bound);
  const widget = (s: FilterSpec): HTMLElement | null => {
    if (s.kind === "list") return multi(s.key, s.label, s.choices, f);
    if (s.kind === "one") return single(s.key, s.label, s.choices, f);
    if (s.bound !== "min") return null; // drawn with its min
    const max = bounds(s.range, "max");
    const title = `${s.label}${s.unit ? ` (${s.unit})` : ""}`;
    const step = s.integer ? "1" : "any";
    return h("span", { class: "range" }, `${title} `, range(s.key, `${s.label} min${s.unit ? ` (${s.unit})` : ""}`, f[s.key], step),
      max ? ["–", range(max.key, `${s.label} max${s.unit ? ` (${s.unit})` : ""}`, f[max.key], step)] : null);
  };
  filterBar.append(
    ...specs.map(widget).filter((w): w is HTMLElement => w !== null),
    h("button", { type: "button", class: "secondary", disabled: activeCount(f) === 0, onclick: () => go(current().page, Object.fromEntries(current().params), emptyFilters()) }, "Clear"),
  );
}

filterBar.addEventListener("change", () => {
  const { page, params } = current();
  go(page, Object.fromEntries(params), readFilterBar());
});
filterBar.addEventListener("submit", (e) => e.preventDefault());

function drawNav(page: string, f: Filters): void {
  clear(nav);
  for (const p of PAGES) {
    const query = toQuery(f);
    nav.append(h("a", { href: `#/${p.id}${query ? "?" + query : ""}`, "aria-current": p.id === page ? "page" : null, "data-page": p.id }, p.title));
  }
}

function tokenForm(message: string): HTMLElement {
  const input = h("input", { type: "password", placeholder: "API token", "aria-label": "API token", autocomplete: "off" }) as HTMLInputElement;
  return h("form", { class: "notice", onsubmit: (e: Event) => { e.preventDefault(); setToken(input.value); void boot(); } },
    h("p", {}, message), input, h("button", { type: "submit" }, "Use token"));
}

async function render(): Promise<void> {
  const id = ++renderCount;
  const { page, filters, params } = current();
  const entry = PAGES.find((p) => p.id === page) ?? PAGES[0];
  drawNav(entry.id, filters);
  if (catalogue) drawFilterBar(filters);
  document.title = `${entry.title} · Airline Customer Analytics`;
  const root = h("div", { class: "page", "data-page": entry.id, "aria-busy": "true" });
  main.replaceChildren(h("h1", {}, entry.title), root);
  const ctx: PageContext = { root, filters, api: toApi(filters), params, go, health: meta.then(([h]) => h), catalogue: meta.then(([, c]) => c) };
  try {
    await entry.render(ctx);
  } catch (e) {
    if (id !== renderCount) return;
    if (e instanceof ApiError && e.status === 401) {
      root.replaceChildren(tokenForm("This server needs an API token."));
    } else {
      root.append(h("div", { class: "notice", role: "alert" }, `Could not load this page: ${(e as Error).message}`));
    }
  } finally {
    if (id === renderCount) {
      root.setAttribute("aria-busy", "false");
      root.setAttribute("data-ready", "true");
    }
  }
}

// The server listens while it opens the lake's snapshot (tens of seconds for the largest
// programmes): until /api/health says "ok", show that it is loading (or why it failed) and ask
// again. Returns the health that said "ok".
async function ready(): Promise<any> {
  for (;;) {
    const answer = await get("/api/health");
    if (answer.status === "ok") return answer;
    const failed = answer.status === "failed";
    const notice = failed
      ? `The lake snapshot could not be loaded: ${answer.reload_error}. Waiting for the next publication…`
      : `Opening the lake snapshot… ${Math.round(answer.loading_seconds ?? 0)} s`;
    status.textContent = failed ? "snapshot failed to load" : "loading…";
    main.replaceChildren(h("div", { class: "notice", role: failed ? "alert" : "status", "data-loading": "true" }, notice));
    await new Promise((ok) => setTimeout(ok, 500));
  }
}

async function boot(): Promise<void> {
  void loadCharts();
  let page: Promise<void>;
  try {
    const ok = await ready();
    meta = Promise.all([ok, get("/api/operations")]);
    // The filters in the URL mean something only with the server's filter schema, so the first
    // page waits for the catalogue (one request, answered from memory).
    page = meta.then(([, c]) => setFilterSchema(c?.filters), () => undefined).then(() => render());
    [health, catalogue] = await meta;
    setFilterSchema(catalogue?.filters);
    drawFilterBar(current().filters);
    status.textContent = `${integer(health.members)} members · snapshot ${health.snapshot.loaded_at} · analyst: ${health.analyst.offline ? "offline" : health.analyst.provider}`;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      main.replaceChildren(tokenForm("This server needs an API token (AIRLINE_AUTH_TOKEN)."));
      return;
    }
    main.replaceChildren(h("div", { class: "notice", role: "alert" }, `The server did not answer: ${(e as Error).message}`));
    return;
  }
  await page;
}

window.addEventListener("hashchange", () => void render());
void boot();
