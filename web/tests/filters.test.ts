import { beforeAll, describe, expect, it } from "vitest";
import { activeCount, emptyFilters, filterSpecs, fromQuery, parseHash, setFilterSchema, toApi, toQuery } from "../src/filters";

// The schema as GET /api/operations serves it (ops/filters.cc filter_schema, from the member
// catalogue); the app knows the filters only from it.
const SCHEMA = {
  loyalty_card: { type: "list of enum", label: "Loyalty card", order: 0, choices: ["Aurora", "Nova", "Star"] },
  enrollment_type: { type: "enum", label: "Enrollment type", order: 1, choices: ["2018 Promotion", "Standard"] },
  province: { type: "list of enum", label: "Province", order: 2, choices: ["Ontario", "Quebec"] },
  gender: { type: "enum", label: "Gender", order: 3, choices: ["Female", "Male"] },
  rfm_segment: { type: "list of enum", label: "Segment", order: 4, choices: ["At Risk"] },
  risk_tier: { type: "enum", label: "Risk tier", order: 5, choices: ["high", "medium", "low"] },
  clv_min: { type: "number", label: "CLV", order: 6, unit: "CAD", range: "clv", bound: "min", min: 0, max: 1e9 },
  clv_max: { type: "number", label: "CLV", order: 7, unit: "CAD", range: "clv", bound: "max", min: 0, max: 1e9 },
  tenure_min: { type: "integer", label: "Tenure", order: 8, unit: "months", range: "tenure", bound: "min", min: 0, max: 1200 },
  tenure_max: { type: "integer", label: "Tenure", order: 9, unit: "months", range: "tenure", bound: "max", min: 0, max: 1200 },
};

beforeAll(() => setFilterSchema(SCHEMA));

describe("filter schema", () => {
  it("takes the keys, kinds, labels and order from the server", () => {
    expect(filterSpecs().map((s) => s.key)).toEqual(Object.keys(SCHEMA));
    expect(filterSpecs().find((s) => s.key === "province")).toMatchObject({ kind: "list", label: "Province" });
    expect(filterSpecs().find((s) => s.key === "gender")).toMatchObject({ kind: "one" });
    expect(filterSpecs().find((s) => s.key === "tenure_max")).toMatchObject({ kind: "number", integer: true, range: "tenure", bound: "max", unit: "months" });
  });
});

describe("filter state", () => {
  it("starts empty and sends nothing", () => {
    expect(toApi(emptyFilters())).toEqual({});
    expect(toQuery(emptyFilters())).toBe("");
    expect(activeCount(emptyFilters())).toBe(0);
  });
  it("round-trips through the URL, including awkward values", () => {
    const f = emptyFilters();
    f.province = ["Ontario", "British Columbia"];
    f.rfm_segment = ["At Risk"];
    f.loyalty_card = ["Star", "a,b&c=d#e"];
    f.gender = "Female";
    f.enrollment_type = "2018 Promotion";
    f.risk_tier = "high";
    f.clv_min = 2000;
    f.tenure_max = 36;
    const query = toQuery(f);
    expect(query).not.toContain("#");
    expect(query).not.toContain(" ");
    expect(fromQuery(query)).toEqual(f);
    expect(fromQuery("?" + query)).toEqual(f);
    expect(activeCount(f)).toBe(8);
  });
  it("keeps the page's own parameters beside the filters", () => {
    const f = emptyFilters();
    f.province = ["Quebec"];
    expect(toQuery(f, { id: "100018" })).toBe("id=100018&province=Quebec");
  });
  it("turns the state into the API's filters", () => {
    const f = fromQuery("province=Ontario,Quebec&gender=Male&clv_min=100&clv_max=&tenure_min=x");
    expect(toApi(f)).toEqual({ province: ["Ontario", "Quebec"], gender: "Male", clv_min: 100 });
  });
  it("ignores negative and non-numeric ranges", () => {
    expect(fromQuery("clv_min=-5&tenure_max=abc").clv_min).toBeNull();
    expect(fromQuery("clv_min=-5&tenure_max=abc").tenure_max).toBeNull();
  });
  it("reads the page and query from the hash", () => {
    expect(parseHash("")).toEqual({ page: "overview", query: "" });
    expect(parseHash("#/model")).toEqual({ page: "model", query: "" });
    expect(parseHash("#/customer?id=5&province=Ontario")).toEqual({
      page: "customer",
      query: "id=5&province=Ontario",
    });
  });
});
