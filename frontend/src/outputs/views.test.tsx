// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { MetricsTable } from "./MetricsTable";
import { ModelSummary } from "./ModelSummary";
import { TablePreview } from "./TablePreview";

afterEach(cleanup);

describe("output viewers", () => {
  it("shows a table's size, per-column statistics and its first rows", () => {
    render(<TablePreview table={{
      rows: 150,
      columns: [{ name: "petal_length_cm", kind: "float" }, { name: "species", kind: "str" }],
      data: [[1.4, "setosa"], [4.7, "versicolor"]],
      stats: [
        { name: "petal_length_cm", kind: "float", count: 150, nulls: 0, mean: 3.758, std: 1.7653, min: 1, max: 6.9 },
        { name: "species", kind: "str", count: 148, nulls: 2, unique: 3, top: [{ value: "setosa", count: 50 }] },
      ],
    }} />);
    expect(screen.getByText(/first 2 shown/)).toBeTruthy();
    const stats = document.querySelector(".stats-row")!.textContent!;
    expect(stats).toContain("μ 3.758 σ 1.765");
    expect(stats).toContain("3 distinct");
    expect(stats).toContain("2 missing");
    expect(document.querySelectorAll("tbody tr")).toHaveLength(2);
  });

  it("lists metrics with readable numbers and a model's summary", () => {
    render(<MetricsTable metrics={{ accuracy: 0.9440559440559441, roc_auc: null }} />);
    expect(screen.getByText("0.9441")).toBeTruthy();
    expect(screen.getByText("—")).toBeTruthy();
    render(<ModelSummary type="model" size={276906} summary={{ estimator: "RandomForestClassifier", classes: [0, 1] }} />);
    expect(screen.getByText("RandomForestClassifier")).toBeTruthy();
    expect(screen.getByText("0, 1")).toBeTruthy();
    expect(screen.getByText(/270\.4 KB/)).toBeTruthy();
  });
});
