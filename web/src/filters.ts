// The filter bar's state, kept in the URL (the hash's query) so a view can be shared, and
// turned into the API's filters object. Lists join with commas; a value holding a comma is
// percent-encoded like any other character URLSearchParams would encode.

export interface Filters {
  province: string[];
  rfm_segment: string[];
  loyalty_card: string[];
  gender: string;
  enrollment_type: string;
  risk_tier: string;
  clv_min: number | null;
  clv_max: number | null;
  tenure_min: number | null;
  tenure_max: number | null;
}

export const LIST_KEYS = ["province", "rfm_segment", "loyalty_card"] as const;
export const ONE_KEYS = ["gender", "enrollment_type", "risk_tier"] as const;
export const NUMBER_KEYS = ["clv_min", "clv_max", "tenure_min", "tenure_max"] as const;

export function emptyFilters(): Filters {
  return {
    province: [], rfm_segment: [], loyalty_card: [],
    gender: "", enrollment_type: "", risk_tier: "",
    clv_min: null, clv_max: null, tenure_min: null, tenure_max: null,
  };
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
  for (const key of LIST_KEYS) {
    const raw = params.get(key);
    f[key] = raw ? raw.split(",").map((v) => decodeURIComponent(v)).filter((v) => v !== "") : [];
  }
  for (const key of ONE_KEYS) f[key] = params.get(key) ?? "";
  for (const key of NUMBER_KEYS) f[key] = parseNumber(params.get(key));
  return f;
}

export function toQuery(f: Filters, extra: Record<string, string> = {}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(extra)) {
    if (v !== "") parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  for (const key of LIST_KEYS) {
    if (f[key].length) {
      parts.push(`${key}=${f[key].map((v) => encodeURIComponent(encodeURIComponent(v))).join(",")}`);
    }
  }
  for (const key of ONE_KEYS) if (f[key]) parts.push(`${key}=${encodeURIComponent(f[key])}`);
  for (const key of NUMBER_KEYS) if (f[key] !== null) parts.push(`${key}=${f[key]}`);
  return parts.join("&");
}

// The API's filters object: only what is set.
export function toApi(f: Filters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of LIST_KEYS) if (f[key].length) out[key] = [...f[key]];
  for (const key of ONE_KEYS) if (f[key]) out[key] = f[key];
  for (const key of NUMBER_KEYS) if (f[key] !== null) out[key] = f[key];
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
