/** The palette's and quick search's one ranking of components for a query. */
import { fuzzySearch, type FuzzyField } from "../graph/fuzzy";
import type { ComponentSpec } from "../graph/types";

const FIELDS: FuzzyField<ComponentSpec>[] = [
  { get: (c) => c.title, weight: 3 },
  { get: (c) => c.id.slice(c.id.indexOf(".") + 1), weight: 2.5 },
  { get: (c) => c.tags, weight: 2 },
  { get: (c) => c.category, weight: 1.2, substringOnly: true },
  { get: (c) => c.description, weight: 1, substringOnly: true },
];

export const searchComponents = (components: readonly ComponentSpec[], query: string): ComponentSpec[] =>
  fuzzySearch(components.filter((c) => !c.deprecated), query, FIELDS);
