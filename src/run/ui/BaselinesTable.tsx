/**
 * The RL evaluation: the trained agent side by side with the IDM+MOBIL driver and a random driver
 * on the same held-out episodes, and, when asked, earlier runs' agents scored on those same
 * episodes (DQN next to PPO). The best value in each column is marked.
 */
import type { DrivingEvaluation, PolicyScore } from '../client-types';
import type { EarlierAgent } from './earlier-agents';

type Column = { key: keyof Pick<PolicyScore, 'meanReturn' | 'meanSpeed' | 'collisionRate'>; label: string; better: 'high' | 'low'; format: (v: number) => string };

const COLUMNS: Column[] = [
  { key: 'meanReturn', label: 'Mean return', better: 'high', format: (v) => v.toFixed(2) },
  { key: 'meanSpeed', label: 'Mean speed', better: 'high', format: (v) => `${v.toFixed(1)} m/s` },
  { key: 'collisionRate', label: 'Collision rate', better: 'low', format: (v) => `${(v * 100).toFixed(0)}%` },
];

function best(rows: PolicyScore[], c: Column): number {
  const values = rows.map((r) => r[c.key]).filter(Number.isFinite);
  return c.better === 'high' ? Math.max(...values) : Math.min(...values);
}

export function BaselinesTable({ evaluation, earlier = [] }: { evaluation: DrivingEvaluation; earlier?: readonly EarlierAgent[] }) {
  const rows: (PolicyScore | EarlierAgent)[] = [...evaluation.rows, ...earlier];
  const earlierOf = (r: PolicyScore | EarlierAgent): EarlierAgent | null => ('runId' in r ? r : null);
  return (
    <table className="rp-table rp-baselines" data-testid="baselines-table">
      <thead>
        <tr>
          <th scope="col">Driver</th>
          <th scope="col">Episodes</th>
          {COLUMNS.map((c) => (
            <th key={c.key} scope="col" title={c.better === 'high' ? 'higher is better' : 'lower is better'}>
              {c.label} {c.better === 'high' ? '↑' : '↓'}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={earlierOf(r)?.runId ?? r.policy}
            className={r.policy === 'agent' && !earlierOf(r) ? 'rp-agent-row' : undefined}
            data-policy={earlierOf(r) ? 'earlier' : r.policy}
          >
            <th scope="row">
              {r.label}
              {earlierOf(r) && (
                <span className="muted small">
                  {' '}
                  · {earlierOf(r)!.runName}, {new Date(earlierOf(r)!.createdAt).toLocaleString()}
                </span>
              )}
            </th>
            <td className="mono">{r.episodes}</td>
            {COLUMNS.map((c) => {
              const v = r[c.key];
              const top = rows.length > 1 && v === best(rows, c);
              return (
                <td key={c.key} className={`mono${top ? ' rp-best' : ''}`}>
                  {Number.isFinite(v) ? c.format(v) : '—'}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
