/**
 * The component palette from `/api/components/`: grouped by category, fuzzy search, description on
 * hover; drag an item onto the canvas (or double-click it) to add a node.
 */
import { useReactFlow } from "@xyflow/react";
import { memo, useMemo, useState, type DragEvent } from "react";
import { DND_MIME } from "../canvas/dnd";
import type { CatalogueIndex } from "../graph/catalogue";
import { NODE_WIDTH } from "../graph/size";
import type { ComponentSpec } from "../graph/types";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { searchComponents } from "./search";

const PaletteItem = memo(function PaletteItem({ spec, catalogue, onAdd }: { spec: ComponentSpec; catalogue: CatalogueIndex; onAdd: (id: string) => void }) {
  const onDragStart = (e: DragEvent) => {
    e.dataTransfer.setData(DND_MIME, spec.id);
    e.dataTransfer.setData("text/plain", spec.title);
    e.dataTransfer.effectAllowed = "copy";
  };
  const ports = (list: ComponentSpec["inputs"]) => list.map((p) => (
    <span key={p.name} className="pi-port" style={{ background: catalogue.typeColour(p.type) }} title={`${p.name}: ${p.type}`} />
  ));
  return (
    <li
      className="palette-item"
      draggable
      onDragStart={onDragStart}
      onDoubleClick={() => onAdd(spec.id)}
      title={`${spec.title} — ${spec.description}\n\nDrag onto the canvas, or double-click to add.`}
      data-component={spec.id}
      style={{ borderLeftColor: catalogue.categoryColour(spec.category) }}
    >
      <span className="pi-ports in">{ports(spec.inputs)}</span>
      <span className="pi-text">
        <span className="pi-title">{spec.title}</span>
        <span className="pi-desc">{spec.description}</span>
      </span>
      <span className="pi-ports out">{ports(spec.outputs)}</span>
    </li>
  );
});

export function Palette({ loading, error }: { loading: boolean; error: Error | null }) {
  const catalogue = useCatalogueStore((s) => s.index);
  const [query, setQuery] = useState("");
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  const rf = useReactFlow();

  const groups = useMemo(() => {
    if (!catalogue) return [];
    const found = searchComponents(catalogue.latestAll(), query);
    if (query.trim()) return [{ category: `${found.length} match${found.length === 1 ? "" : "es"}`, items: found }];
    return catalogue.raw.categories
      .map((category) => ({ category, items: found.filter((c) => c.category === category) }))
      .filter((g) => g.items.length > 0);
  }, [catalogue, query]);

  const addAtCentre = (id: string) => {
    const el = document.querySelector(".canvas-area")?.getBoundingClientRect();
    const centre = el ? { x: el.left + el.width / 2, y: el.top + el.height / 2 } : { x: 400, y: 300 };
    const p = rf.screenToFlowPosition(centre);
    useGraphStore.getState().addNode(id, { x: p.x - NODE_WIDTH / 2, y: p.y - 40 });
  };

  return (
    <aside className="palette" aria-label="Components">
      <div className="panel-head">
        <h2>Components</h2>
        <input
          type="search"
          className="search"
          placeholder="Search components…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Search components"
        />
      </div>
      <div className="palette-body">
        {loading && <p className="muted pad">Loading the catalogue…</p>}
        {error && <p className="error-text pad">Could not load components: {error.message}</p>}
        {catalogue && groups.length === 0 && <p className="muted pad">No component matches “{query}”.</p>}
        {catalogue && groups.map((g) => (
          <section key={g.category} className="palette-group">
            <button
              type="button"
              className="group-head"
              aria-expanded={!closed[g.category]}
              onClick={() => setClosed((c) => ({ ...c, [g.category]: !c[g.category] }))}
            >
              <span className="chev" aria-hidden>{closed[g.category] ? "▸" : "▾"}</span>
              <span className="cat-dot" style={{ background: catalogue.categoryColour(g.category) }} />
              {g.category}
              <span className="count">{g.items.length}</span>
            </button>
            {!closed[g.category] && (
              <ul>
                {g.items.map((spec) => <PaletteItem key={spec.id} spec={spec} catalogue={catalogue} onAdd={addAtCentre} />)}
              </ul>
            )}
          </section>
        ))}
      </div>
    </aside>
  );
}
