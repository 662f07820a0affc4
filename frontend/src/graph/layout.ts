/**
 * Auto-layout: a small layered (Sugiyama-style) left-to-right layout. Longest-path layering with
 * sources pulled next to their first consumer, barycenter ordering sweeps that keep the order with
 * the fewest crossings, then y placement near the neighbours' centres without overlaps.
 * Linear-ish in nodes + edges per sweep: 1,000 nodes lay out in milliseconds; no dependency.
 */

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
  /** Index of the output / input port on its node (keeps parallel edges untangled). */
  sourceIndex?: number;
  targetIndex?: number;
}

export interface LayoutOptions {
  gapX?: number;
  gapY?: number;
  sweeps?: number;
}

export type Positions = Map<string, { x: number; y: number }>;

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function assignLayers(ids: string[], preds: Map<string, string[]>, succs: Map<string, string[]>): Map<string, number> {
  const indeg = new Map(ids.map((id) => [id, preds.get(id)?.length ?? 0]));
  const layer = new Map<string, number>();
  const queue = ids.filter((id) => indeg.get(id) === 0);
  for (const id of queue) layer.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const s of succs.get(id) ?? []) {
      layer.set(s, Math.max(layer.get(s) ?? 0, (layer.get(id) ?? 0) + 1));
      indeg.set(s, (indeg.get(s) ?? 1) - 1);
      if (indeg.get(s) === 0) queue.push(s);
    }
  }
  const top = Math.max(0, ...layer.values());
  for (const id of ids) if (!layer.has(id)) layer.set(id, top + 1); // on a cycle: park at the end
  // Pull nodes with no inputs right, next to their nearest consumer (shorter edges).
  for (const id of ids) {
    const outs = succs.get(id) ?? [];
    if ((preds.get(id)?.length ?? 0) === 0 && outs.length) {
      layer.set(id, Math.min(...outs.map((s) => layer.get(s) ?? 1)) - 1);
    }
  }
  return layer;
}

function crossings(upper: string[], lower: string[], edges: LayoutEdge[]): number {
  const pu = new Map(upper.map((id, i) => [id, i]));
  const pl = new Map(lower.map((id, i) => [id, i]));
  const segs: [number, number][] = [];
  for (const e of edges) {
    const a = pu.get(e.source);
    const b = pl.get(e.target);
    if (a !== undefined && b !== undefined) segs.push([a + (e.sourceIndex ?? 0) / 100, b + (e.targetIndex ?? 0) / 100]);
  }
  let count = 0;
  for (let i = 0; i < segs.length; i++) {
    for (let j = i + 1; j < segs.length; j++) {
      const [a1, b1] = segs[i] as [number, number];
      const [a2, b2] = segs[j] as [number, number];
      if ((a1 - a2) * (b1 - b2) < 0) count++;
    }
  }
  return count;
}

function totalCrossings(layers: string[][], edges: LayoutEdge[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < layers.length; i++) sum += crossings(layers[i] as string[], layers[i + 1] as string[], edges);
  return sum;
}

function sweep(layers: string[][], edgesIn: Map<string, LayoutEdge[]>, edgesOut: Map<string, LayoutEdge[]>, down: boolean): void {
  const order = down ? layers.map((_, i) => i).slice(1) : layers.map((_, i) => i).reverse().slice(1);
  for (const li of order) {
    const fixed = layers[down ? li - 1 : li + 1] as string[];
    const pos = new Map(fixed.map((id, i) => [id, i]));
    const layer = layers[li] as string[];
    const bary = new Map<string, number>();
    layer.forEach((id, i) => {
      let sum = 0;
      let n = 0;
      for (const e of (down ? edgesIn : edgesOut).get(id) ?? []) {
        const p = pos.get(down ? e.source : e.target);
        if (p === undefined) continue;
        sum += p + ((down ? e.sourceIndex : e.targetIndex) ?? 0) / 100;
        n++;
      }
      bary.set(id, n ? sum / n : i);
    });
    layer.sort((a, b) => (bary.get(a) ?? 0) - (bary.get(b) ?? 0));
  }
}

/** Weakly connected parts of the graph, each a list of node ids (in input order). */
function components(ids: string[], edges: LayoutEdge[]): string[][] {
  const parent = new Map(ids.map((id) => [id, id]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(x, r);
    return r;
  };
  for (const e of edges) parent.set(find(e.source), find(e.target));
  const groups = new Map<string, string[]>();
  for (const id of ids) push(groups, find(id), id);
  return [...groups.values()];
}

/**
 * Lay out `nodes` left to right. Unconnected parts are laid out one by one and packed in rows
 * (largest first), so a canvas of many small pipelines stays compact.
 */
export function layeredLayout(nodes: LayoutNode[], edges: LayoutEdge[], opts: LayoutOptions = {}): Positions {
  const ids = new Set(nodes.map((n) => n.id));
  const valid = edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target);
  const parts = components(nodes.map((n) => n.id), valid);
  if (parts.length <= 1) return layoutPart(nodes, valid, opts);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const boxes = parts.map((part) => {
    const set = new Set(part);
    const pos = layoutPart(part.map((id) => byId.get(id) as LayoutNode), valid.filter((e) => set.has(e.source)), opts);
    let w = 0;
    let h = 0;
    for (const [id, p] of pos) {
      w = Math.max(w, p.x + (byId.get(id)?.width ?? 0));
      h = Math.max(h, p.y + (byId.get(id)?.height ?? 0));
    }
    return { pos, w, h };
  });
  const gap = (opts.gapX ?? 90);
  const area = boxes.reduce((a, b) => a + (b.w + gap) * (b.h + gap), 0);
  const rowWidth = Math.max(...boxes.map((b) => b.w), Math.sqrt(area) * 1.3);
  const order = boxes.map((_, i) => i).sort((a, b) => (boxes[b] as { h: number }).h - (boxes[a] as { h: number }).h || a - b);
  const out: Positions = new Map();
  let x = 0;
  let y = 0;
  let rowH = 0;
  for (const i of order) {
    const b = boxes[i] as (typeof boxes)[number];
    if (x > 0 && x + b.w > rowWidth) {
      x = 0;
      y += rowH + gap;
      rowH = 0;
    }
    for (const [id, p] of b.pos) out.set(id, { x: p.x + x, y: p.y + y });
    x += b.w + gap;
    rowH = Math.max(rowH, b.h);
  }
  return out;
}

function layoutPart(nodes: LayoutNode[], valid: LayoutEdge[], opts: LayoutOptions): Positions {
  const { gapX = 90, gapY = 36, sweeps = 6 } = opts;
  const ids = nodes.map((n) => n.id);
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const e of valid) {
    push(preds, e.target, e.source);
    push(succs, e.source, e.target);
  }
  const layerOf = assignLayers(ids, preds, succs);
  const depth = Math.max(0, ...layerOf.values()) + 1;
  let layers: string[][] = Array.from({ length: depth }, () => []);
  for (const id of ids) layers[layerOf.get(id) ?? 0]?.push(id);
  // Edges between adjacent layers drive ordering; longer edges count from both ends.
  const adjacent = valid.filter((e) => (layerOf.get(e.target) ?? 0) > (layerOf.get(e.source) ?? 0));

  const edgesIn = new Map<string, LayoutEdge[]>();
  const edgesOut = new Map<string, LayoutEdge[]>();
  for (const e of adjacent) {
    push(edgesIn, e.target, e);
    push(edgesOut, e.source, e);
  }
  let best = layers.map((l) => [...l]);
  let bestCount = totalCrossings(best, adjacent);
  for (let i = 0; i < sweeps && bestCount > 0; i++) {
    sweep(layers, edgesIn, edgesOut, i % 2 === 0);
    const count = totalCrossings(layers, adjacent);
    if (count < bestCount) {
      best = layers.map((l) => [...l]);
      bestCount = count;
    }
  }
  layers = best;

  const size = new Map(nodes.map((n) => [n.id, n]));
  const colWidth = layers.map((l) => Math.max(0, ...l.map((id) => size.get(id)?.width ?? 0)));
  const x: number[] = [0];
  for (let i = 1; i < colWidth.length; i++) x.push((x[i - 1] as number) + (colWidth[i - 1] as number) + gapX);

  const centre = new Map<string, number>();
  const out: Positions = new Map();
  layers.forEach((layer, li) => {
    // Desired centre: mean of already placed predecessors; fall back to stacking order.
    const want = layer.map((id) => {
      const ps = (preds.get(id) ?? []).map((p) => centre.get(p)).filter((v): v is number => v !== undefined);
      return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : null;
    });
    let cursor = -Infinity;
    const tops: number[] = [];
    layer.forEach((id, i) => {
      const h = size.get(id)?.height ?? 0;
      const desired = want[i] ?? (Number.isFinite(cursor) ? cursor : 0) + h / 2;
      const top = Math.max(desired - h / 2, cursor);
      tops.push(top);
      cursor = top + h + gapY;
    });
    // Shift the whole column so it sits, on average, where its nodes want to be.
    const deltas = layer.map((id, i) => (want[i] === null ? 0 : (want[i] as number) - ((tops[i] as number) + (size.get(id)?.height ?? 0) / 2)));
    const wanted = want.filter((w) => w !== null).length;
    const shift = wanted ? deltas.reduce((a, b) => a + b, 0) / wanted : 0;
    layer.forEach((id, i) => {
      const y = (tops[i] as number) + shift;
      out.set(id, { x: x[li] as number, y });
      centre.set(id, y + (size.get(id)?.height ?? 0) / 2);
    });
  });
  const minY = Math.min(0, ...[...out.values()].map((p) => p.y));
  for (const p of out.values()) p.y = Math.round(p.y - minY);
  return out;
}
