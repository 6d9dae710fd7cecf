import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, parseTags, tableRows, type RunRow } from './runs-table';

function row(fields: Partial<RunRow>): RunRow {
  return {
    id: 'r',
    name: 'run',
    mode: 'supervised',
    status: 'completed',
    projectId: 'p1',
    startedAt: 0,
    durationMs: 0,
    backend: 'wasm',
    throughput: undefined,
    bestValAccuracy: undefined,
    finalReturn: undefined,
    collisionRate: undefined,
    params: 0,
    tags: [],
    starred: false,
    hasGraph: true,
    ...fields,
  };
}

const rows = [
  row({ id: 'a', name: 'lr 0.1', startedAt: 1, bestValAccuracy: 0.5, tags: ['baseline'] }),
  row({ id: 'b', name: 'lr 0.01', startedAt: 2, bestValAccuracy: 0.7, status: 'failed', projectId: 'p2' }),
  row({ id: 'c', name: 'lr 0.001', startedAt: 3 }),
  row({ id: 'd', name: 'driver', startedAt: 4, mode: 'rl', finalReturn: 12, starred: true }),
];

const ids = (q: Partial<typeof DEFAULT_QUERY>) => tableRows(rows, { ...DEFAULT_QUERY, ...q }).map((r) => r.id);

describe('tableRows', () => {
  it('puts starred runs first, then newest first', () => {
    expect(ids({})).toEqual(['d', 'c', 'b', 'a']);
  });

  it('sorts by score ascending with runs that have none last', () => {
    expect(ids({ sort: 'score', descending: false })).toEqual(['d', 'a', 'b', 'c']);
    const named = tableRows([row({ id: 'x', name: 'run 10' }), row({ id: 'y', name: 'run 9' })], { ...DEFAULT_QUERY, sort: 'name', descending: false });
    expect(named.map((r) => r.id)).toEqual(['y', 'x']);
  });

  it('filters by every word of the text, by status and by project', () => {
    expect(ids({ text: 'baseline' })).toEqual(['a']);
    expect(ids({ text: 'LR 0.0' })).toEqual(['c', 'b']);
    expect(ids({ status: 'failed' })).toEqual(['b']);
    expect(ids({ project: 'p2' })).toEqual(['b']);
    expect(ids({ text: 'nothing like it' })).toEqual([]);
  });
});

describe('parseTags', () => {
  it('splits on commas, trims, drops empties and repeats', () => {
    expect(parseTags(' fast, lr ,,fast, ')).toEqual(['fast', 'lr']);
  });
});
