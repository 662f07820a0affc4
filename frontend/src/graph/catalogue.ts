/**
 * Fast look-ups over the catalogue: a component spec by id and version, the latest version of an
 * id, port specs, type colours and the category order of the palette.
 */
import type { Catalogue, ComponentSpec, PortSpec, TypeInfo } from "./types";

const FALLBACK_COLOUR = "#8a94a6";

export interface CatalogueIndex {
  readonly raw: Catalogue;
  spec(id: string, version: number): ComponentSpec | undefined;
  latest(id: string): ComponentSpec | undefined;
  /** Latest version of every component, in catalogue order. */
  latestAll(): ComponentSpec[];
  input(id: string, version: number, port: string): PortSpec | undefined;
  output(id: string, version: number, port: string): PortSpec | undefined;
  type(name: string): TypeInfo | undefined;
  typeColour(name: string): string;
  categoryColour(category: string): string;
}

/** Colours for categories, assigned in catalogue order (categories carry no colour of their own). */
export const CATEGORY_PALETTE = [
  "#3b6fd8", "#0f9d8a", "#d9822b", "#8e5bd6", "#d64576", "#5a7a1f", "#2a8fbd", "#a0522d",
];

export const specKey = (id: string, version: number): string => `${id}@${version}`;

export function indexCatalogue(raw: Catalogue): CatalogueIndex {
  const byKey = new Map<string, ComponentSpec>();
  const latest = new Map<string, ComponentSpec>();
  for (const c of raw.components) {
    byKey.set(specKey(c.id, c.version), c);
    const prev = latest.get(c.id);
    if (!prev || prev.version < c.version) latest.set(c.id, c);
  }
  const types = new Map(raw.types.map((t) => [t.name, t]));
  const categories = [...raw.categories];
  for (const c of raw.components) if (!categories.includes(c.category)) categories.push(c.category);
  const catColour = new Map(
    categories.map((c, i) => [c, CATEGORY_PALETTE[i % CATEGORY_PALETTE.length] ?? FALLBACK_COLOUR]),
  );
  const port = (list: "inputs" | "outputs") => (id: string, version: number, name: string) =>
    byKey.get(specKey(id, version))?.[list].find((p) => p.name === name);

  return {
    raw: { ...raw, categories },
    spec: (id, version) => byKey.get(specKey(id, version)),
    latest: (id) => latest.get(id),
    latestAll: () => [...latest.values()],
    input: port("inputs"),
    output: port("outputs"),
    type: (name) => types.get(name),
    typeColour: (name) => types.get(name)?.colour ?? FALLBACK_COLOUR,
    categoryColour: (category) => catColour.get(category) ?? FALLBACK_COLOUR,
  };
}
