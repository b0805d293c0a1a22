// How figures are shown: CAD, fractions as percentages, months, flights, km. Nulls show as "–".

const dash = "–";

function finite(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

export function integer(v: unknown): string {
  return finite(v) ? Math.round(v).toLocaleString("en-CA") : dash;
}

export function decimal(v: unknown, digits = 1): string {
  return finite(v)
    ? v.toLocaleString("en-CA", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : dash;
}

// Money in Canadian dollars: whole dollars from 1,000 up, cents below.
export function cad(v: unknown): string {
  if (!finite(v)) return dash;
  const digits = Math.abs(v) >= 1000 ? 0 : 2;
  return (
    "CA$" +
    v.toLocaleString("en-CA", { minimumFractionDigits: digits, maximumFractionDigits: digits })
  );
}

// A fraction (0.1234) as a percentage ("12.3%").
export function percent(v: unknown, digits = 1): string {
  return finite(v) ? (v * 100).toFixed(digits) + "%" : dash;
}

export type Unit = "CAD" | "fraction" | "months" | "flights" | "km" | "members" | "ratio" | string;

// A value with its unit, as the API's `units` names it.
export function withUnit(v: unknown, unit: Unit | undefined): string {
  switch (unit) {
    case "CAD":
      return cad(v);
    case "fraction":
      return percent(v);
    case "months":
      return finite(v) ? decimal(v, 1) + " mo" : dash;
    case "flights":
      return decimal(v, 1);
    case "km":
      return finite(v) ? integer(v) + " km" : dash;
    case "id":
    case "year":
      return v === null || v === undefined ? dash : String(v);
    case "members":
    case "rows":
      return integer(v);
    case "ratio":
      return finite(v) ? decimal(v, 2) + "×" : dash;
    case "AUC 0-1":
      return finite(v) ? v.toFixed(3) : dash;
    case "AUC difference":
      return finite(v) ? (v > 0 ? "+" : v < 0 ? "−" : "±") + Math.abs(v).toFixed(3) : dash;
    case "PSI":
      return finite(v) ? v.toFixed(3) : dash;
    case "squared error 0-1":
      return finite(v) ? v.toFixed(4) : dash;
    case "skill score":
    case "logistic slope":
    case "log-odds":
      return finite(v) ? v.toFixed(2) : dash;
    default:
      if (finite(v)) return Number.isInteger(v) ? integer(v) : decimal(v, 2);
      if (v === null || v === undefined) return dash;
      return String(v);
  }
}

// The change of a slice's figure against the whole portfolio. Rates compare in percentage
// points, everything else relatively; customers as the slice's share of the portfolio.
export interface Delta {
  text: string;
  direction: "up" | "down" | "same";
}

export function delta(slice: unknown, base: unknown, kind: "share" | "points" | "relative"): Delta {
  if (!finite(slice) || !finite(base)) return { text: dash, direction: "same" };
  if (kind === "share") {
    return {
      text: base > 0 ? percent(slice / base) + " of portfolio" : dash,
      direction: slice === base ? "same" : slice > base ? "up" : "down",
    };
  }
  const diff = kind === "points" ? (slice - base) * 100 : base !== 0 ? ((slice - base) / base) * 100 : NaN;
  if (!Number.isFinite(diff)) return { text: dash, direction: "same" };
  const rounded = Math.round(diff * 10) / 10;
  const direction = rounded > 0 ? "up" : rounded < 0 ? "down" : "same";
  const sign = rounded > 0 ? "+" : rounded < 0 ? "−" : "±";
  const suffix = kind === "points" ? " pts" : "%";
  return { text: `${sign}${Math.abs(rounded).toFixed(1)}${suffix} vs portfolio`, direction };
}

// "rfm_segment" -> "RFM segment"; "avg_clv" -> "Avg CLV".
export function label(key: string): string {
  const words: Record<string, string> = {
    clv: "CLV", rfm: "RFM", avg: "Avg", cad: "CAD", km: "km", roi: "ROI", id: "ID",
  };
  const text = key
    .split("_")
    .map((w) => words[w] ?? w)
    .join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
