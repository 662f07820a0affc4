import { describe, expect, it } from "vitest";
import { isReadOnly, useUiStore } from "./uiStore";

const ui = () => useUiStore.getState();

describe("uiStore", () => {
  it("dismisses only the toast it was asked to (a newer one stays)", () => {
    ui().showToast("first", "error");
    const first = ui().toast!;
    ui().showToast("second");
    ui().dismissToast(first.id);
    expect(ui().toast).toMatchObject({ text: "second", tone: "info" });
    ui().dismissToast(ui().toast!.id);
    expect(ui().toast).toBeNull();
  });

  it("records the saved revision only when given, and the reason of a failed save", () => {
    ui().setSaving("saved", 7);
    ui().setSaving("saving");
    expect(ui()).toMatchObject({ saving: "saving", savedRevision: 7, saveError: null });
    ui().setSaving("error", undefined, "2 problems");
    expect(ui()).toMatchObject({ saving: "error", savedRevision: 7, saveError: "2 problems" });
  });

  it("is read-only while a past version is viewed, and quick search stays shut then", () => {
    ui().setViewing(3);
    expect(isReadOnly()).toBe(true);
    ui().openQuickSearch({ screen: { x: 0, y: 0 }, flow: { x: 0, y: 0 } });
    expect(ui().quickSearch).toBeNull();
    ui().setViewing(null);
    expect(isReadOnly()).toBe(false);
  });
});
