/**
 * The minimap, drawn on one <canvas>: every node as a rectangle in its category colour and the
 * viewport as a frame. Click or drag on it to move the view there. One element instead of React
 * Flow's one component per node, so 1,000 nodes cost a millisecond to draw, not a render pass.
 */
import { useReactFlow, useStore, type ReactFlowState } from "@xyflow/react";
import { useEffect, useRef, type PointerEvent } from "react";
import { shallow } from "zustand/shallow";
import { estimateNodeSize } from "../graph/size";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";

const W = 168;
const H = 112;
const PAD = 6;

const viewSelector = (s: ReactFlowState) => ({ x: s.transform[0], y: s.transform[1], zoom: s.transform[2], width: s.width, height: s.height });

export function MiniMapCanvas() {
  const ref = useRef<HTMLCanvasElement>(null);
  const nodes = useGraphStore((s) => s.nodes);
  const catalogue = useCatalogueStore((s) => s.index);
  const view = useStore(viewSelector, shallow);
  const rf = useReactFlow();
  const frame = useRef({ minX: 0, minY: 0, scale: 1 });

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = W * dpr;
    canvas.height = H * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const vx = -view.x / view.zoom;
    const vy = -view.y / view.zoom;
    const vw = view.width / view.zoom;
    const vh = view.height / view.zoom;
    let minX = vx, minY = vy, maxX = vx + vw, maxY = vy + vh;
    const boxes = nodes.map((n) => {
      const size = estimateNodeSize(n, catalogue);
      minX = Math.min(minX, n.position.x);
      minY = Math.min(minY, n.position.y);
      maxX = Math.max(maxX, n.position.x + size.width);
      maxY = Math.max(maxY, n.position.y + size.height);
      const spec = catalogue?.spec(n.data.component, n.data.version);
      return { x: n.position.x, y: n.position.y, ...size, colour: spec && catalogue ? catalogue.categoryColour(spec.category) : "#b8c0cc" };
    });
    const scale = Math.min((W - 2 * PAD) / (maxX - minX || 1), (H - 2 * PAD) / (maxY - minY || 1));
    const ox = PAD + ((W - 2 * PAD) - (maxX - minX) * scale) / 2;
    const oy = PAD + ((H - 2 * PAD) - (maxY - minY) * scale) / 2;
    frame.current = { minX: minX - ox / scale, minY: minY - oy / scale, scale };
    for (const b of boxes) {
      ctx.fillStyle = b.colour;
      ctx.fillRect(ox + (b.x - minX) * scale, oy + (b.y - minY) * scale, Math.max(1, b.width * scale), Math.max(1, b.height * scale));
    }
    ctx.fillStyle = "rgba(240, 242, 247, 0.55)";
    ctx.strokeStyle = "#2f6fdf";
    ctx.lineWidth = 1.5;
    const [rx, ry, rw, rh] = [ox + (vx - minX) * scale, oy + (vy - minY) * scale, vw * scale, vh * scale];
    ctx.strokeRect(rx, ry, rw, rh);
  }, [nodes, catalogue, view]);

  const moveTo = (e: PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const { minX, minY, scale } = frame.current;
    void rf.setCenter(minX + (e.clientX - r.left) / scale, minY + (e.clientY - r.top) / scale, { zoom: view.zoom });
  };

  return (
    <canvas ref={ref} className="minimap-canvas" style={{ width: W, height: H }} aria-label="Minimap: click or drag to move the view"
      onPointerDown={(e) => { e.currentTarget.setPointerCapture(e.pointerId); moveTo(e); }}
      onPointerMove={(e) => { if (e.buttons & 1) moveTo(e); }} />
  );
}
