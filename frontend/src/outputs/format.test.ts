import { describe, expect, it } from "vitest";
import { formatBytes, formatCell, formatNumber } from "./format";

describe("output formatting", () => {
  it("keeps integers, rounds floats to 4 significant digits, and marks missing values", () => {
    expect(formatNumber(569)).toBe("569");
    expect(formatNumber(12345)).toBe("12,345");
    expect(formatNumber(0.9440559440559441)).toBe("0.9441");
    expect(formatNumber(0.0000123)).toBe("1.230e-5");
    expect(formatNumber(null)).toBe("—");
  });

  it("formats cells and sizes", () => {
    expect(formatCell(null)).toBe("");
    expect(formatCell("a")).toBe("a");
    expect(formatCell(1.23456)).toBe("1.235");
    expect(formatBytes(145152)).toBe("141.8 KB");
  });
});
