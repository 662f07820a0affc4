/**
 * A figure output: its Vega-Lite spec rendered by vega-embed (ROC curves, confusion matrices,
 * feature importance, histograms). vega-embed is loaded on first use, not with the canvas.
 */
import { useEffect, useRef, useState } from "react";

export function ChartView({ spec }: { spec: Record<string, unknown> }) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let finalize: (() => void) | undefined;
    let cancelled = false;
    setError(null);
    import("vega-embed").then(async ({ default: embed }) => {
      if (cancelled || !box.current) return;
      const sized = { width: "container", ...spec, autosize: { type: "fit", contains: "padding" } };
      const result = await embed(box.current, sized as never, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: "svg" });
      finalize = () => result.finalize();
      if (cancelled) finalize();
    }).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [spec]);

  return (
    <div className="chart-view">
      {error && <p className="error-text">Could not draw this chart: {error}</p>}
      <div ref={box} className="chart-box" data-testid="chart" />
    </div>
  );
}
