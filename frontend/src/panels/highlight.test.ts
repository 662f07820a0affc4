import { describe, expect, it } from "vitest";
import { highlightPython } from "./highlight";

describe("highlightPython", () => {
  it("keeps the text intact and types keywords, strings, comments and numbers", () => {
    const src = 'from designer.sdk import Workflow  # build\nwf = Workflow("demo")\nsplit = wf.add("preprocessing.train_test_split", test_size=0.25)\n';
    const tokens = highlightPython(src);
    expect(tokens.map((t) => t.text).join("")).toBe(src);
    const kinds = (k: string) => tokens.filter((t) => t.kind === k).map((t) => t.text.trim());
    expect(kinds("keyword")).toEqual(expect.arrayContaining(["from", "import"]));
    expect(kinds("string")).toEqual(['"demo"', '"preprocessing.train_test_split"']);
    expect(kinds("comment")).toEqual(["# build"]);
    expect(kinds("number")).toEqual(["0.25"]);
  });

  it("does not treat keywords inside strings or names as keywords", () => {
    const tokens = highlightPython('x = "if else"\nimported = 1');
    expect(tokens.filter((t) => t.kind === "keyword")).toEqual([]);
  });
});
