/** A metrics output: one row per named value. */
import { formatNumber } from "./format";

export function MetricsTable({ metrics }: { metrics: Record<string, number | null> }) {
  const entries = Object.entries(metrics);
  if (!entries.length) return <p className="muted">No metrics.</p>;
  return (
    <table className="metrics-table" data-testid="metrics-table">
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td className="num" title={v === null ? "not defined" : String(v)}>{formatNumber(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
