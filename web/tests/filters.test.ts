import { describe, expect, it } from "vitest";
import { activeCount, emptyFilters, fromQuery, parseHash, toApi, toQuery } from "../src/filters";

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
