import { describe, expect, it } from "vitest";
import { fuzzyScore, fuzzySearch } from "./fuzzy";

const items = [
  { title: "Standard scaler", tags: ["scaling", "normalize"], description: "Standardize numeric columns" },
  { title: "Train/test split", tags: [], description: "Split rows" },
  { title: "Logistic regression", tags: ["classification"], description: "Fit a classifier" },
  { title: "Iris", tags: ["sample"], description: "150 flowers" },
];
const fields = [
  { get: (i: (typeof items)[number]) => i.title, weight: 3 },
  { get: (i: (typeof items)[number]) => i.tags, weight: 2 },
  { get: (i: (typeof items)[number]) => i.description, weight: 1, substringOnly: true },
];
const titles = (q: string) => fuzzySearch(items, q, fields).map((i) => i.title);

describe("fuzzy search", () => {
  it("matches letters in order and ranks substrings above scattered letters", () => {
    expect(fuzzyScore("scl", "Standard scaler")).toBeGreaterThan(0);
    expect(fuzzyScore("xyz", "Standard scaler")).toBe(-1);
    expect(fuzzyScore("scal", "Standard scaler")).toBeGreaterThan(fuzzyScore("stsc", "Standard scaler"));
  });

  it("needs every word, searches tags and descriptions, and ranks titles first", () => {
    expect(titles("logreg")).toEqual(["Logistic regression"]);
    expect(titles("split")[0]).toBe("Train/test split");
    expect(titles("normalize")).toEqual(["Standard scaler"]);
    expect(titles("flowers")).toEqual(["Iris"]);
    expect(titles("std scaler")).toEqual(["Standard scaler"]);
    expect(titles("")).toHaveLength(4);
  });

  it("does not match scattered letters in long descriptions", () => {
    expect(titles("fwrs")).toEqual([]);
  });
});
