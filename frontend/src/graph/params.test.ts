import { describe, expect, it } from "vitest";
import { fixtureIndex } from "../test/fixtures";
import { checkParams, checkValue, effectiveValue, fieldsOf, parseScalar, upstreamColumns } from "./params";

const cat = fixtureIndex();
const fields = (id: string) => fieldsOf(cat.latest(id)!.params_schema);
const byName = (id: string) => Object.fromEntries(fields(id).map((f) => [f.name, f]));

describe("fields from the real catalogue's JSON Schemas", () => {
  it("reads bounds, nullability and column pickers", () => {
    const f = byName("preprocessing.train_test_split");
    expect(f.test_size).toMatchObject({ kind: "number", min: 0, max: 1, exclusiveMin: true, exclusiveMax: true, default: 0.25 });
    expect(f.random_state).toMatchObject({ kind: "integer", nullable: true, min: 0 });
    expect(f.stratify_column).toMatchObject({ kind: "column", nullable: true, column: { port: "table", multiple: false } });
    expect(f.shuffle).toMatchObject({ kind: "boolean", default: true });
  });

  it("reads enums (also nullable ones), required fields, multi-column pickers and unions", () => {
    const f = byName("preprocessing.filter_rows");
    expect(f.op).toMatchObject({ kind: "enum", options: expect.arrayContaining(["==", "is_null"]) });
    expect(f.column).toMatchObject({ kind: "column", required: true, hasDefault: false });
    expect(f.value).toMatchObject({ kind: "scalar", nullable: true, accepts: expect.arrayContaining(["string", "number", "boolean", "array"]) });
    const lr = byName("training.logistic_regression");
    expect(lr.features).toMatchObject({ kind: "columns", column: { numeric: true } });
    expect(lr.class_weight).toMatchObject({ kind: "enum", nullable: true, options: ["balanced"] });
    expect(byName("training.kmeans").n_init).toMatchObject({ kind: "scalar", accepts: ["string", "integer"] });
    expect(byName("preprocessing.standard_scaler").columns?.kind).toBe("columns");
  });

  it("checks values with the server's wording", () => {
    const f = byName("preprocessing.train_test_split");
    expect(checkValue(f.test_size!, 0)).toBe("must be > 0 (got 0)");
    expect(checkValue(f.test_size!, 0.3)).toBeNull();
    expect(checkValue(f.random_state!, 1.5)).toBe("must be a whole number");
    expect(checkValue(f.random_state!, null)).toBeNull();
    expect(checkValue(f.shuffle!, null)).toBe("must not be empty");
    expect(checkValue(byName("training.kmeans").n_clusters!, 0)).toBe("must be ≥ 1 (got 0)");
    expect(checkValue(byName("training.logistic_regression").solver!, "adam")).toMatch(/^must be one of "lbfgs"/);
    expect(checkParams(fields("preprocessing.filter_rows"), {})).toEqual({ column: "required: set a value" });
    expect(effectiveValue(f.test_size!, {})).toBe(0.25);
    expect(effectiveValue(f.test_size!, { test_size: 0.5 })).toBe(0.5);
  });

  it("offers upstream columns for pickers, numeric ones when asked", () => {
    const schemas = { iris: { table: [{ name: "sepal", kind: "float" }, { name: "species", kind: "str" }] } };
    const edges = [{ source: "iris", source_port: "table", target: "lr", target_port: "table" }];
    expect(upstreamColumns("lr", { port: "table", multiple: true, numeric: true }, edges, schemas)).toEqual([{ name: "sepal", kind: "float" }]);
    expect(upstreamColumns("lr", { port: "table", multiple: false, numeric: false }, edges, schemas)).toHaveLength(2);
    expect(upstreamColumns("other", { port: "table", multiple: false, numeric: false }, edges, schemas)).toBeNull();
    expect(upstreamColumns("lr", { port: "table", multiple: false, numeric: false }, edges, null)).toBeNull();
  });

  it("parses union text into the accepted types", () => {
    const all = ["string", "number", "integer", "boolean", "array"];
    expect(parseScalar("3.5", all)).toBe(3.5);
    expect(parseScalar("true", all)).toBe(true);
    expect(parseScalar('["a", 2]', all)).toEqual(["a", 2]);
    expect(parseScalar("[unfinished", all)).toBe("[unfinished");
    expect(parseScalar("setosa", all)).toBe("setosa");
    expect(parseScalar("  ", all)).toBeNull();
    expect(parseScalar("auto", ["string", "integer"])).toBe("auto");
    expect(parseScalar("10", ["string", "integer"])).toBe(10);
    expect(parseScalar("1.5", ["string", "integer"])).toBe("1.5");
    expect(parseScalar("true", ["string"])).toBe("true");
  });
});
