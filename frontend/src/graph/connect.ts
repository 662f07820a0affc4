/**
 * The canvas's connection rule: port types from the catalogue's `connectable` table (never type
 * names spelt here), one edge into a single-valued input, no duplicates, self-loops or cycles.
 * Refusals carry a sentence that tells the user why.
 */
import type { CatalogueIndex } from "./catalogue";
import type { EdgeSpec } from "./types";

export interface Connection {
  source: string;
  sourcePort: string | null | undefined;
  target: string;
  targetPort: string | null | undefined;
}

export interface NodeRef {
  component: string;
  version: number;
  label?: string | null;
}

export interface ConnectContext {
  node(id: string): NodeRef | undefined;
  edges: readonly EdgeSpec[];
}

export type ConnectVerdict = { ok: true } | { ok: false; reason: string };

const refuse = (reason: string): ConnectVerdict => ({ ok: false, reason });

/** May `outType` feed `inType`, per the catalogue's table? */
export function typesCompatible(catalogue: CatalogueIndex, outType: string, inType: string): boolean {
  return catalogue.raw.connectable[outType]?.includes(inType) ?? false;
}

/** Is `to` reachable from `from` along `edges`? */
export function reaches(edges: readonly EdgeSpec[], from: string, to: string): boolean {
  if (from === to) return true;
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
  }
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length) {
    for (const n of next.get(stack.pop() as string) ?? []) {
      if (n === to) return true;
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return false;
}

export function canConnect(
  catalogue: CatalogueIndex,
  ctx: ConnectContext,
  c: Connection,
): ConnectVerdict {
  if (!c.sourcePort || !c.targetPort) return refuse("Drag from an output port to an input port.");
  if (c.source === c.target) return refuse("A node cannot feed itself.");
  const src = ctx.node(c.source);
  const dst = ctx.node(c.target);
  if (!src || !dst) return refuse("One of the nodes no longer exists.");
  const srcName = src.label || c.source;
  const dstName = dst.label || c.target;
  const out = catalogue.output(src.component, src.version, c.sourcePort);
  const inp = catalogue.input(dst.component, dst.version, c.targetPort);
  if (!out) return refuse(`"${srcName}" has no output "${c.sourcePort}".`);
  if (!inp) return refuse(`"${dstName}" has no input "${c.targetPort}".`);
  if (!typesCompatible(catalogue, out.type, inp.type)) {
    const accepted = Object.entries(catalogue.raw.connectable)
      .filter(([, ins]) => ins.includes(inp.type))
      .map(([o]) => o);
    const hint = accepted.length === 0 ? " Nothing can feed it."
      : accepted.length > 1 || accepted[0] !== inp.type ? ` It accepts ${accepted.join(" or ")}.` : "";
    return refuse(`Type mismatch: output "${c.sourcePort}" of "${srcName}" gives ${out.type}, but input ` +
      `"${inp.name}" of "${dstName}" needs ${inp.type}.${hint}`);
  }
  const into = ctx.edges.filter((e) => e.target === c.target && e.target_port === c.targetPort);
  if (into.some((e) => e.source === c.source && e.source_port === c.sourcePort)) {
    return refuse("These ports are already connected.");
  }
  if (!inp.many && into.length > 0) {
    const e = into[0] as EdgeSpec;
    return refuse(`Input "${inp.name}" of "${dstName}" takes one edge and is already fed by ` +
      `"${e.source}.${e.source_port}"; delete that edge first.`);
  }
  if (reaches(ctx.edges, c.target, c.source)) {
    return refuse(`That edge would make a cycle: "${dstName}" already feeds "${srcName}".`);
  }
  return { ok: true };
}
