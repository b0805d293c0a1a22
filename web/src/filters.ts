// The filter bar's state, kept in the URL (the hash's query) so a view can be shared, and
// turned into the API's filters object. Lists join with commas; a value holding a comma is
// percent-encoded like any other character URLSearchParams would encode.

// Which filters exist, their kinds, labels and units come from the server's filter schema
// (GET /api/operations, "filters"; the member catalogue, src/core/member_catalogue.cc): the
// app names none itself. setFilterSchema() must run before the state is read.
export type FilterKind = "list" | "one" | "number";

export interface FilterSpec {
  key: string;
  kind: FilterKind;
  label: string;
  choices: string[];
  unit: string;
  integer: boolean;
  range: string; // a range's stem: clv_min and clv_max share "clv"
  bound: "min" | "max" | "";
}

export type Filters = Record<string, any>;

let specs: FilterSpec[] = [];

// The schema as served: { key: { type, label, order, choices?, unit?, range?, bound? } }.
export function setFilterSchema(schema: Record<string, any> | null | undefined): void {
  specs = Object.entries(schema ?? {})
    .map(([key, s]) => ({
      key,
      kind: (s.type === "list of enum" ? "list" : s.type === "enum" ? "one" : "number") as FilterKind,
      label: String(s.label ?? key),
      choices: (s.choices ?? []) as string[],
      unit: String(s.unit ?? ""),
      integer: s.type === "integer",
      range: String(s.range ?? ""),
      bound: (s.bound ?? "") as "min" | "max" | "",
      order: Number(s.order ?? 0),
    }))
    .sort((a, b) => a.order - b.order)
    .map(({ order: _order, ...spec }) => spec);
}

export function filterSpecs(): FilterSpec[] {
  return specs;
}

const keysOf = (kind: FilterKind) => specs.filter((s) => s.kind === kind).map((s) => s.key);

export function emptyFilters(): Filters {
  const f: Filters = {};
  for (const s of specs) f[s.key] = s.kind === "list" ? [] : s.kind === "one" ? "" : null;
  return f;
}

function parseNumber(text: string | null): number | null {
  if (text === null || text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

// Lists are written as one parameter each, values separated by commas; a comma inside a value
// is escaped as %2C by encodeURIComponent before joining.
export function fromQuery(query: string): Filters {
  const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const f = emptyFilters();
  for (const key of keysOf("list")) {
    const raw = params.get(key);
    f[key] = raw ? raw.split(",").map((v) => decodeURIComponent(v)).filter((v) => v !== "") : [];
  }
  for (const key of keysOf("one")) f[key] = params.get(key) ?? "";
  for (const key of keysOf("number")) f[key] = parseNumber(params.get(key));
  return f;
}

export function toQuery(f: Filters, extra: Record<string, string> = {}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(extra)) {
    if (v !== "") parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  for (const key of keysOf("list")) {
    if (f[key]?.length) {
      parts.push(`${key}=${(f[key] as string[]).map((v) => encodeURIComponent(encodeURIComponent(v))).join(",")}`);
    }
  }
  for (const key of keysOf("one")) if (f[key]) parts.push(`${key}=${encodeURIComponent(f[key])}`);
  for (const key of keysOf("number")) if (f[key] !== null && f[key] !== undefined) parts.push(`${key}=${f[key]}`);
  return parts.join("&");
}

// The API's filters object: only what is set.
export function toApi(f: Filters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keysOf("list")) if (f[key]?.length) out[key] = [...f[key]];
  for (const key of keysOf("one")) if (f[key]) out[key] = f[key];
  for (const key of keysOf("number")) if (f[key] !== null && f[key] !== undefined) out[key] = f[key];
  return out;
}

export function activeCount(f: Filters): number {
  return Object.keys(toApi(f)).length;
}

// "#/overview?province=Ontario" -> { page: "overview", query: "province=Ontario" }.
export function parseHash(hash: string): { page: string; query: string } {
  const h = hash.replace(/^#\/?/, "");
  const at = h.indexOf("?");
  const page = (at < 0 ? h : h.slice(0, at)) || "overview";
  return { page, query: at < 0 ? "" : h.slice(at + 1) };
}
