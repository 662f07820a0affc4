/** Quick search (double-click on the canvas or Ctrl K): type, pick with arrows + Enter, the node lands there. */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { NODE_WIDTH } from "../graph/size";
import { searchComponents } from "../panels/search";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { useUiStore } from "../store/uiStore";

const MAX = 8;

export function QuickSearch() {
  const { at, close } = useUiStore(useShallow((s) => ({ at: s.quickSearch, close: s.closeQuickSearch })));
  const catalogue = useCatalogueStore((s) => s.index);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const results = useMemo(() => (catalogue ? searchComponents(catalogue.latestAll(), query).slice(0, MAX) : []), [catalogue, query]);

  useEffect(() => {
    if (!at) return;
    setQuery("");
    setActive(0);
    input.current?.focus();
  }, [at]);

  if (!at) return null;
  const pick = (id: string | undefined) => {
    if (id) useGraphStore.getState().addNode(id, { x: at.flow.x - NODE_WIDTH / 2, y: at.flow.y - 20 });
    close();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown") setActive((a) => Math.min(results.length - 1, a + 1));
    else if (e.key === "ArrowUp") setActive((a) => Math.max(0, a - 1));
    else if (e.key === "Enter") pick(results[active]?.id);
    else if (e.key === "Escape") close();
    else return;
    e.preventDefault();
  };
  const left = Math.min(at.screen.x, window.innerWidth - 340);
  const top = Math.min(at.screen.y, window.innerHeight - 360);

  return (
    <>
      <div className="qs-backdrop" onMouseDown={close} />
      <div className="quick-search" style={{ left, top }} role="dialog" aria-label="Add a component">
        <input
          ref={input}
          value={query}
          placeholder="Add a component…"
          onChange={(e) => { setQuery(e.target.value); setActive(0); }}
          onKeyDown={onKey}
          aria-label="Search components"
        />
        <ul role="listbox">
          {results.map((c, i) => (
            <li
              key={c.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : ""}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => { e.preventDefault(); pick(c.id); }}
              title={c.description}
            >
              <span className="qs-dot" style={{ background: catalogue?.categoryColour(c.category) }} />
              <span className="qs-title">{c.title}</span>
              <span className="qs-cat">{c.category}</span>
            </li>
          ))}
          {results.length === 0 && <li className="qs-none">No component matches “{query}”.</li>}
        </ul>
      </div>
    </>
  );
}
