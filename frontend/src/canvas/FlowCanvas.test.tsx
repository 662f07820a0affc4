// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunEvent } from "../api/events";
import { Palette } from "../panels/Palette";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { useRunStore } from "../store/runStore";
import { useValidationStore } from "../store/validationStore";
import { useViewStore } from "../store/viewStore";
import { fixtureCatalogue } from "../test/fixtures";
import { FlowCanvas } from "./FlowCanvas";

function renderCanvas() {
  const qc = new QueryClient();
  return render(
    <QueryClientProvider client={qc}>
      <ReactFlowProvider>
        <div style={{ width: 800, height: 600 }}>
          <Palette loading={false} error={null} />
          <FlowCanvas />
        </div>
      </ReactFlowProvider>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  useCatalogueStore.getState().setCatalogue(fixtureCatalogue());
  useRunStore.getState().reset();
  useValidationStore.getState().clear();
  useGraphStore.getState().load({
    schema_version: 1,
    nodes: [
      { id: "iris", component: "datasets.iris", version: 1, params: {}, position: { x: 0, y: 0 } },
      { id: "split", component: "preprocessing.train_test_split", version: 1, params: {}, label: "My split", position: { x: 300, y: 0 } },
    ],
    edges: [{ source: "iris", source_port: "table", target: "split", target_port: "table" }],
  });
  useViewStore.getState().setFitted(useGraphStore.getState().loads); // as after the canvas's fitView
});
afterEach(cleanup);

describe("canvas in jsdom", () => {
  it("renders nodes from the spec, with port handles named after ports", () => {
    const { container } = renderCanvas();
    expect(screen.getByText("My split")).toBeTruthy();
    const handles = [...container.querySelectorAll('[data-nodeid="split"].react-flow__handle')].map((h) => h.getAttribute("data-handleid"));
    expect(handles.sort()).toEqual(["table", "test", "train"]);
    expect(container.querySelector('[data-nodeid="split"][data-handleid="train"]')?.getAttribute("data-port-type")).toBe("table");
    expect(container.querySelector(".empty-state")).toBeNull();
  });

  it("shows run status, progress and validation problems on the node", () => {
    const { container } = renderCanvas();
    act(() => useRunStore.getState().applyEvents([
      { type: "run.snapshot", run: 1, seq: 0, ts: "2026-01-01T00:00:00Z", snapshot: { id: 1, status: "running", nodes: [{ node_id: "split", status: "running", progress: { value: 1, max: 4 } }] } },
      { type: "node.failed", run: 1, seq: 2, ts: "2026-01-01T00:00:01Z", node: "iris", error: "boom" },
      { type: "node.progress", run: 1, seq: 3, ts: "2026-01-01T00:00:02Z", node: "split", value: 1, max: 4 },
    ] as unknown as RunEvent[]));
    act(() => useValidationStore.getState().setResult([{ code: "invalid_param", message: "must be > 0", node: "split", param: "test_size" }], null));
    const split = screen.getByTestId("node-split");
    expect(split.className).toContain("status-running");
    expect((split.querySelector(".progress-fill") as HTMLElement).style.width).toBe("25%");
    expect(split.querySelector(".cnode-problems")?.textContent).toBe("1");
    expect(container.querySelector('[data-testid="node-iris"] .badge-failed')).toBeTruthy();
  });

  it("shows the empty state for a new workflow, and the palette filters by fuzzy search", () => {
    act(() => useGraphStore.getState().load({ schema_version: 1, nodes: [], edges: [] }));
    const { container } = renderCanvas();
    expect(screen.getByText("Start your workflow")).toBeTruthy();
    fireEvent.change(screen.getByPlaceholderText("Search components…"), { target: { value: "logreg" } });
    const items = [...container.querySelectorAll(".palette-item")].map((el) => el.getAttribute("data-component"));
    expect(items).toEqual(["training.logistic_regression"]);
  });
});

describe("level of detail", () => {
  it("draws nodes compact until the loaded graph has been fitted, with handles where the full node has them", () => {
    useViewStore.getState().setFitted(-1);
    renderCanvas();
    const split = screen.getByTestId("node-split");
    expect(split.className).toContain("compact");
    const handles = [...split.querySelectorAll(".lod-handle")].map((h) => [h.getAttribute("data-handleid"), (h as HTMLElement).style.top]);
    expect(handles).toEqual([["table", "58px"], ["train", "58px"], ["test", "80px"]]);
    act(() => useViewStore.getState().setFitted(useGraphStore.getState().loads));
    expect(screen.getByTestId("node-split").className).not.toContain("compact");
  });
});
