/**
 * Node ids for new nodes, the same rule as the Python SDK: the component's snake name (the id part
 * after the last dot), then `<name>_2`, `<name>_3`, ... — the first one not taken.
 */

/** Node ids the server accepts (designer/dag/model.py NODE_ID_PATTERN). */
export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** The base id for a component: `datasets.iris` -> `iris`; made safe for NODE_ID_PATTERN. */
export function baseNodeId(componentId: string): string {
  const tail = componentId.slice(componentId.lastIndexOf(".") + 1);
  let name = tail.replace(/[^A-Za-z0-9_-]/g, "_");
  if (!/^[A-Za-z_]/.test(name)) name = `n_${name}`;
  return name.slice(0, 56); // leaves room for a `_NNNNNNN` suffix within 64 characters
}

/** The first free id for a new node of `componentId`, given the ids already in use. */
export function nextNodeId(componentId: string, taken: Iterable<string> | ReadonlySet<string>): string {
  const used = taken instanceof Set ? (taken as ReadonlySet<string>) : new Set(taken);
  const base = baseNodeId(componentId);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
