import { describe, expect, it } from "vitest";
import { type Catalogue, numberInput, operation, param, resultUnit, titled } from "../src/catalogue";

// A slice of GET /api/operations as the server answers it.
const catalogue: Catalogue = {
  filters: {},
  operations: [{
    name: "retention_plan",
    description: "plan",
    params: [
      { name: "budget_cad", type: "number", description: "budget", default: 10000.0, min: 0.01, max: 1e9, unit: "CAD" },
      { name: "save_rate", type: "number", description: "save rate", default: 0.2, min: 0.001, max: 1, unit: "fraction" },
      { name: "list_limit", type: "integer", description: "rows", default: 100, min: 1, max: 1000, unit: "rows" },
    ],
    result: [
      { name: "contacts", type: "integer", unit: "members", description: "members contacted" },
      { name: "roi", type: "number", unit: "ratio", description: "expected net over cost" },
      { name: "rows", type: "array", element: "object", description: "the list", fields: [
        { name: "clv", type: "number", unit: "CAD", description: "CLV" },
        { name: "province", type: "string", description: "province" },
      ] },
    ],
  }],
};

describe("catalogue", () => {
  const op = operation(catalogue, "retention_plan");
  it("finds operations and parameters, and says which is missing", () => {
    expect(param(op, "save_rate").max).toBe(1);
    expect(() => operation(catalogue, "nope")).toThrow("no operation nope");
    expect(() => param(op, "nope")).toThrow("retention_plan has no parameter nope");
  });
  it("builds number inputs from the declared default, bounds and unit", () => {
    expect(numberInput(param(op, "budget_cad"))).toEqual({ value: "10000", min: "0.01", max: "1000000000", step: "any", unit: "CAD" });
    expect(numberInput(param(op, "save_rate"), "0.3").value).toBe("0.3");
    expect(numberInput(param(op, "list_limit")).step).toBe("1");
    expect(titled("Budget", "CAD")).toBe("Budget (CAD)");
    expect(titled("Save rate", "fraction")).toBe("Save rate (0-1)");
    expect(titled("Top", undefined)).toBe("Top");
  });
  it("reads result units from the declared schema, nested fields by dotted path", () => {
    expect(resultUnit(op, "contacts")).toBe("members");
    expect(resultUnit(op, "roi")).toBe("ratio");
    expect(resultUnit(op, "rows.clv")).toBe("CAD");
    expect(resultUnit(op, "rows.province")).toBeUndefined();
    expect(resultUnit(op, "missing")).toBeUndefined();
  });
});
