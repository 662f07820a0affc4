/**
 * The node as drawn when zoomed out (level of detail): the same box as ComponentNode, with the title,
 * category colour, status colour and problem count, and bare handle boxes at the same places (so
 * edges stay put). No React Flow Handle components, no port rows: ten times fewer DOM nodes and
 * store subscriptions, which is what makes a fitted 1,000-node workflow load and pan smoothly.
 */
import { memo, type CSSProperties } from "react";
import type { DesignerNode } from "../graph/convert";
import { nodeGeometry, ROW } from "../graph/size";
import { useCatalogueStore } from "../store/catalogueStore";
import { useRunStore } from "../store/runStore";
import { useValidationStore } from "../store/validationStore";

const FIRST_HANDLE_TOP = 58;

function CompactNodeView({ id, data, selected }: { id: string; data: DesignerNode["data"]; selected: boolean }) {
  const spec = useCatalogueStore((s) => s.index?.spec(data.component, data.version));
  const catalogue = useCatalogueStore((s) => s.index);
  const status = useRunStore((s) => s.nodes[id]?.status ?? "idle");
  const problems = useValidationStore((s) => s.byNode[id]?.length ?? 0);
  const colour = spec && catalogue ? catalogue.categoryColour(spec.category) : "#8a94a6";
  const classes = ["cnode", "compact", `status-${status}`, selected ? "selected" : "", problems ? "has-problems" : ""];
  const handle = (name: string, type: string, i: number, portType: string) => (
    <div key={`${type}:${name}`} className={`lod-handle ${type}`} data-handleid={name} data-nodeid={id}
      data-handlepos={type === "source" ? "right" : "left"}
      style={{ top: FIRST_HANDLE_TOP + i * ROW, background: catalogue?.typeColour(portType) ?? "#999" }} />
  );
  return (
    <div className={classes.filter(Boolean).join(" ")} data-testid={`node-${id}`}
      style={{ "--cat": colour, height: spec ? nodeGeometry(spec).height : undefined } as CSSProperties}>
      <header className="cnode-head">
        <span className="cnode-dot" aria-hidden />
        <span className="cnode-title">{data.label || spec?.title || data.component}</span>
        {problems > 0 && <span className="cnode-problems">{problems}</span>}
      </header>
      <div className="lod-status" />
      {spec?.inputs.map((p, i) => handle(p.name, "target", i, p.type))}
      {spec?.outputs.map((p, i) => handle(p.name, "source", i, p.type))}
    </div>
  );
}

export const CompactNode = memo(CompactNodeView);
