import { describe, expect, it } from "vitest";
import { useUiStore } from "./uiStore";

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

  it("records the saved revision only when given", () => {
    ui().setSaving("saved", 7);
    ui().setSaving("saving");
    expect(ui()).toMatchObject({ saving: "saving", savedRevision: 7 });
  });
});
