import { describe, expect, it } from "vitest";
import { type Catalogue, operation, resultUnit, undeclaredUnits, unitLookup } from "../src/catalogue";
import { HEALTH_UNIT_PATHS } from "../src/pages/health";
import { MODEL_UNIT_PATHS } from "../src/pages/model";
import { QUALITY_UNIT_PATHS } from "../src/pages/quality";
// `airline-analytics ops list --json`, trimmed to the three operations these pages show, with
// diagnostics.stratified_auc.auc_ci's unit as the current tree declares it (src/ops/report_ops.cc:
// "AUC 0-1"; older binaries said "fraction").
import fixture from "./operations.fixture.json";

const catalogue = fixture as unknown as Catalogue;

// Each page's list of unit paths, the very list the page asks the schema with.
const pages: [string, string, readonly string[]][] = [
  ["health", "model_health", HEALTH_UNIT_PATHS],
  ["model", "model_performance", MODEL_UNIT_PATHS],
  ["quality", "data_quality", QUALITY_UNIT_PATHS],
];

describe("the pages' units come from the operations' declared schemas", () => {
  for (const [page, opName, paths] of pages) {
    const op = operation(catalogue, opName);
    it(`${page}: every unit path the page asks for (${opName}) declares a unit`, () => {
      expect(paths.length).toBeGreaterThan(0);
      expect(new Set(paths).size).toBe(paths.length);
      // A path listed here with no declared unit would show its figure without one: the fix
      // belongs in the server's schema, not in a unit the page makes up.
      expect(undeclaredUnits(op, paths)).toEqual([]);
    });
    it(`${page}: an interval is in its figure's unit`, () => {
      for (const p of paths.filter((p) => p.endsWith("_ci"))) {
        const figure = p.slice(0, -"_ci".length);
        if (paths.includes(figure)) expect(resultUnit(op, p), p).toBe(resultUnit(op, figure));
      }
    });
  }

  it("resolves the paths through objects, lists' elements and maps' values", () => {
    const health = unitLookup(operation(catalogue, "model_health"), HEALTH_UNIT_PATHS);
    expect(health("realized.roc_auc")).toBe("AUC 0-1"); // a field of a list's elements
    expect(health("realized.roc_auc_ci")).toBe("AUC 0-1"); // a list of numbers: its own unit
    expect(health("drift.features.psi")).toBe("PSI");
    expect(health("data_quality.quarantine_rate")).toBe("fraction"); // a field of an object
    const model = unitLookup(operation(catalogue, "model_performance"), MODEL_UNIT_PATHS);
    expect(model("baselines.roc_auc")).toBe("AUC 0-1"); // a field of a map's values
    expect(model("diagnostics.comparisons.auc_difference")).toBe("AUC difference");
    expect(model("out_of_time.brier")).toBe("squared error 0-1");
    expect(model("diagnostics.stratified_auc.auc_ci")).toBe("AUC 0-1");
    const quality = unitLookup(operation(catalogue, "data_quality"), QUALITY_UNIT_PATHS);
    expect(quality("files.merged.exact_duplicates_dropped")).toBe("rows");
    expect(quality("files.quarantine_sample.line")).toBe("line");
  });

  it("reports, rather than invents, a unit the schema does not declare", () => {
    const op = operation(catalogue, "model_performance");
    // Declared fields without a unit, and paths that are not declared at all.
    const paths = ["diagnostics.dominant_feature.name", "baselines.nope", "out_of_time.roc_auc"] as const;
    expect(undeclaredUnits(op, paths)).toEqual(["diagnostics.dominant_feature.name", "baselines.nope"]);
    const unit = unitLookup(op, paths);
    expect(unit("diagnostics.dominant_feature.name")).toBeUndefined();
    expect(unit("out_of_time.roc_auc")).toBe("AUC 0-1");
  });
});
