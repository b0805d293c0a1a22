import { describe, expect, it } from "vitest";
import { cad, decimal, delta, integer, label, percent, withUnit } from "../src/format";

describe("format", () => {
  it("shows money in CAD, whole dollars from 1,000", () => {
    expect(cad(7988.8965)).toBe("CA$7,989");
    expect(cad(12.5)).toBe("CA$12.50");
    expect(cad(-1500)).toBe("CA$-1,500");
    expect(cad(null)).toBe("–");
  });
  it("shows fractions as percentages and counts with separators", () => {
    expect(percent(0.12349883)).toBe("12.3%");
    expect(percent(1)).toBe("100.0%");
    expect(integer(16737)).toBe("16,737");
    expect(decimal(3.5619, 1)).toBe("3.6");
    expect(percent(Number.NaN)).toBe("–");
  });
  it("formats by the API's unit names", () => {
    expect(withUnit(0.25, "fraction")).toBe("25.0%");
    expect(withUnit(45579.36, "km")).toBe("45,579 km");
    expect(withUnit(35.45, "months")).toBe("35.5 mo");
    expect(withUnit(4.87, "ratio")).toBe("4.87×");
    expect(withUnit(0.76726, "AUC 0-1")).toBe("0.767");
    expect(withUnit("Ontario", undefined)).toBe("Ontario");
    expect(withUnit(null, "CAD")).toBe("–");
    expect(withUnit(607988, "id")).toBe("607988");
    expect(withUnit(2017, "year")).toBe("2017");
  });
  it("computes deltas against the portfolio", () => {
    expect(delta(5404, 16737, "share")).toEqual({ text: "32.3% of portfolio", direction: "down" });
    expect(delta(0.15, 0.12, "points")).toEqual({ text: "+3.0 pts vs portfolio", direction: "up" });
    expect(delta(7913.75, 7988.9, "relative")).toEqual({ text: "−0.9% vs portfolio", direction: "down" });
    expect(delta(10, 10, "relative")).toEqual({ text: "±0.0% vs portfolio", direction: "same" });
    expect(delta(null, 10, "relative").text).toBe("–");
    expect(delta(1, 0, "relative").text).toBe("–");
  });
  it("labels API keys for people", () => {
    expect(label("avg_clv")).toBe("Avg CLV");
    expect(label("rfm_segment")).toBe("RFM segment");
    expect(label("churn_probability")).toBe("Churn probability");
  });
});
