/** A table output: row and column counts, per-column statistics, and the first rows. */
import type { ColumnStats, TablePreview as Preview } from "../api/types";
import { formatCell, formatNumber } from "./format";

const NUMERIC = new Set(["int", "float", "number"]);

function StatsCell({ s }: { s: ColumnStats }) {
  if (s.mean !== undefined) {
    return (
      <span className="stat" title={`mean ${formatNumber(s.mean)} · std ${formatNumber(s.std)}`}>
        <span>{formatNumber(s.min as number)} … {formatNumber(s.max as number)}</span>
        <span className="muted">μ {formatNumber(s.mean)} σ {formatNumber(s.std)}</span>
      </span>
    );
  }
  if (s.top?.length) {
    const top = s.top[0]!;
    return (
      <span className="stat" title={s.top.map((t) => `${t.value}: ${t.count}`).join("\n")}>
        <span>{s.unique} distinct</span>
        <span className="muted">top “{top.value}” ×{top.count}</span>
      </span>
    );
  }
  return <span className="stat muted">{s.min !== undefined ? `${s.min} … ${s.max}` : ""}</span>;
}

export function TablePreview({ table }: { table: Preview }) {
  const stats = new Map(table.stats.map((s) => [s.name, s]));
  return (
    <div className="table-preview">
      <p className="out-meta">
        <strong>{formatNumber(table.rows)}</strong> rows × <strong>{table.columns.length}</strong> columns
        {table.data.length < table.rows ? ` · first ${table.data.length} shown` : ""}
      </p>
      <div className="grid-wrap">
        <table className="data-grid" data-testid="table-preview">
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.name} className={NUMERIC.has(c.kind) ? "num" : ""}>
                  <span className="col-name">{c.name}</span>
                  <span className="col-kind">{c.kind}</span>
                </th>
              ))}
            </tr>
            <tr className="stats-row">
              {table.columns.map((c) => {
                const s = stats.get(c.name);
                return (
                  <th key={c.name} className={NUMERIC.has(c.kind) ? "num" : ""}>
                    {s && <StatsCell s={s} />}
                    {s && s.nulls > 0 && <span className="nulls">{s.nulls} missing</span>}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {table.data.map((row, i) => (
              <tr key={i}>
                {row.map((v, j) => <td key={j} className={typeof v === "number" ? "num" : ""}>{formatCell(v)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
