/** A model or transformer output: the summary the worker stored (never unpickled in the browser). */
import { formatBytes, formatCell } from "./format";

export function ModelSummary({ summary, size, type }: { summary: Record<string, unknown>; size: number; type: string }) {
  const entries = Object.entries(summary);
  return (
    <div className="model-summary" data-testid="model-summary">
      <p className="out-meta">A fitted {type}, {formatBytes(size)} stored. Download it to use it in Python (joblib).</p>
      <table className="metrics-table">
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <th>{k.replace(/_/g, " ")}</th>
              <td>{Array.isArray(v) ? v.map(formatCell).join(", ") : formatCell(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
