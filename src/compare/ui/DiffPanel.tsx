/**
 * What differs between the selected runs' graphs, W&B's "diff only": one row per parameter, node or
 * edge whose value is not the same in every run, one column per run in its colour. Clicking a row
 * shows that run's graph read-only with the node selected.
 */
import { useMemo, useState } from 'react';
import type { GraphDocument } from '../../graph/document';
import { diffRows } from '../graph-diff';
import { RunGraphCanvas } from './RunGraphCanvas';

export interface DiffRun {
  id: string;
  name: string;
  color: string;
  document: GraphDocument | undefined;
}

export function DiffPanel({ runs }: { runs: readonly DiffRun[] }) {
  const rows = useMemo(() => diffRows(runs.map((r) => r.document)), [runs]);
  const [picked, setPicked] = useState<{ nodeId: string; run: number } | null>(null);
  const missing = runs.filter((r) => !r.document);
  const shown = picked ? runs[picked.run] : undefined;
  return (
    <section className="cmp-diff" data-testid="compare-diff">
      <h3>Graph diff</h3>
      {missing.length > 0 && <p className="muted">No graph stored with {missing.map((r) => `“${r.name}”`).join(', ')} (runs from before graphs were kept); left out of the diff.</p>}
      {rows.length === 0 ? (
        <p className="muted" data-testid="compare-diff-empty">
          The graphs are the same.
        </p>
      ) : (
        <table className="rp-table cmp-diff-table">
          <thead>
            <tr>
              <th>What</th>
              {runs.map((r) => (
                <th key={r.id}>
                  <span className="cmp-swatch" style={{ background: r.color }} /> {r.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const first = row.values.findIndex((v) => v !== undefined);
              return (
                <tr
                  key={`${row.kind}:${row.label}`}
                  data-testid="compare-diff-row"
                  data-kind={row.kind}
                  className={picked?.nodeId === row.nodeId ? 'current' : undefined}
                  onClick={() => setPicked({ nodeId: row.nodeId, run: Math.max(0, first) })}
                >
                  <td className="mono">{row.label}</td>
                  {row.values.map((v, i) => (
                    <td
                      key={runs[i]!.id}
                      className="mono"
                      onClick={(e) => {
                        if (v === undefined) return;
                        e.stopPropagation();
                        setPicked({ nodeId: row.nodeId, run: i });
                      }}
                    >
                      {v ?? '—'}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {shown?.document && picked && <RunGraphCanvas document={shown.document} runName={shown.name} nodeId={picked.nodeId} />}
    </section>
  );
}
