/**
 * The one generic node view (CONVENTIONS item 24): rendered from the component spec, handles are
 * ports (handle id = port name) coloured per type, with run status and validation problems.
 * Zoomed out it switches to CompactNode (same box and handle places, far less DOM).
 */
import { Handle, Position, useStore, type NodeProps, type ReactFlowState } from "@xyflow/react";
import { memo, type CSSProperties } from "react";
import type { DesignerNode } from "../graph/convert";
import type { PortSpec } from "../graph/types";
import { useCatalogueStore } from "../store/catalogueStore";
import { useGraphStore } from "../store/graphStore";
import { selectNodeRun, useRunStore } from "../store/runStore";
import { selectNodeProblems, useValidationStore } from "../store/validationStore";
import { useViewStore } from "../store/viewStore";
import { CompactNode } from "./CompactNode";
import { NodeStatusBar } from "./NodeStatusBar";

/** Below this zoom nodes are drawn compact (CompactNode); text would be unreadable anyway. */
export const LOD_ZOOM = 0.5;
export const zoomedOut = (s: ReactFlowState): boolean => s.transform[2] < LOD_ZOOM;

function PortRow({ port, side, colour, typeText }: { port: PortSpec; side: "in" | "out"; colour: string; typeText: string }) {
  const label = `${port.name}${port.many ? " (many)" : ""}${port.optional ? " (optional)" : ""}`;
  const hover = `${port.name}: ${port.type}${port.many ? ", takes many edges" : ""}${port.optional ? ", optional" : ""}` +
    `${port.description ? ` — ${port.description}` : ""}\n${typeText}`;
  return (
    <div className={`port port-${side}`} title={hover}>
      <Handle
        type={side === "in" ? "target" : "source"}
        position={side === "in" ? Position.Left : Position.Right}
        id={port.name}
        className={`port-handle${port.many ? " many" : ""}`}
        style={{ background: colour, borderColor: colour }}
        data-port-type={port.type}
      />
      <span className="port-name">{label}</span>
      <span className="port-type" style={{ background: colour }}>{port.type}</span>
    </div>
  );
}

function FullNode({ id, data, selected }: Pick<NodeProps<DesignerNode>, "id" | "data" | "selected">) {
  const spec = useCatalogueStore((s) => s.index?.spec(data.component, data.version));
  const catalogue = useCatalogueStore((s) => s.index);
  const run = useRunStore(selectNodeRun(id));
  const problems = useValidationStore(selectNodeProblems(id));
  const colour = spec && catalogue ? catalogue.categoryColour(spec.category) : "#8a94a6";
  const typeText = (t: string) => catalogue?.type(t)?.description ?? "";
  const status = run?.status ?? "idle";
  const title = data.label || spec?.title || data.component;
  const classes = ["cnode", `status-${status}`, selected ? "selected" : "", problems.length ? "has-problems" : "", spec ? "" : "unknown"];

  return (
    <div className={classes.filter(Boolean).join(" ")} style={{ "--cat": colour } as CSSProperties} data-testid={`node-${id}`}>
      <header className="cnode-head" title={spec?.description ?? `Unknown component ${data.component} v${data.version}`}>
        <span className="cnode-dot" aria-hidden />
        <span className="cnode-title">{title}</span>
        {problems.length > 0 && (
          <span className="cnode-problems" title={problems.map((p) => p.message).join("\n")}>{problems.length}</span>
        )}
      </header>
      <div className="cnode-sub">
        <span className="cnode-id">{id}</span>
        <span className="cnode-cat">{spec?.category ?? "unknown component"}</span>
      </div>
      <div className="cnode-ports">
        <div className="cnode-col">
          {spec?.inputs.map((p) => (
            <PortRow key={p.name} port={p} side="in" colour={catalogue?.typeColour(p.type) ?? "#999"} typeText={typeText(p.type)} />
          ))}
        </div>
        <div className="cnode-col out">
          {spec?.outputs.map((p) => (
            <PortRow key={p.name} port={p} side="out" colour={catalogue?.typeColour(p.type) ?? "#999"} typeText={typeText(p.type)} />
          ))}
        </div>
      </div>
      <NodeStatusBar run={run} />
    </div>
  );
}

function ComponentNodeView({ id, data, selected }: NodeProps<DesignerNode>) {
  const farAway = useStore(zoomedOut);
  const loads = useGraphStore((s) => s.loads);
  const fitted = useViewStore((s) => farAway || s.fittedLoad === loads); // one boolean: few re-renders
  return farAway || !fitted ? <CompactNode id={id} data={data} selected={!!selected} /> : <FullNode id={id} data={data} selected={selected} />;
}

export const ComponentNode = memo(ComponentNodeView);
