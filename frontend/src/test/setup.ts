/** Vitest setup: what jsdom lacks for React Flow (ResizeObserver, DOMMatrixReadOnly). */
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

const g = globalThis as Record<string, unknown>;
g.ResizeObserver ??= ResizeObserverStub;
g.DOMMatrixReadOnly ??= class {
  m22 = 1;
  constructor(_transform?: string) {}
};
g.IS_REACT_ACT_ENVIRONMENT = true;
