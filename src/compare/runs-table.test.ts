import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { compile } from '../graph';
import { newRunOf } from '../run/runs-db';
import { packMetrics, packedTraces } from '../run/runs-db-metrics';
import { DEFAULT_QUERY, parseTags, runRow, tableRows, type RunRow } from './runs-table';

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

  it('sorts by backend name', () => {
    const mixed = [row({ id: 'x', backend: 'webgpu' }), row({ id: 'y', backend: 'cpu' }), row({ id: 'z', backend: 'wasm' })];
    expect(tableRows(mixed, { ...DEFAULT_QUERY, sort: 'backend', descending: false }).map((r) => r.id)).toEqual(['y', 'z', 'x']);
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

describe('runRow', () => {
  it('reads the figures from packed metrics: median speed, best validation accuracy, last training time', async () => {
    const compiled = compile(presetById('resnet-cifar')!.doc, registry);
    if (!compiled.ok) throw new Error('preset does not compile');
    const fields = await newRunOf(compiled.plan, { backendRequest: 'auto', status: 'completed', progress: { epoch: 2, epochs: 2, step: 4, steps: 4 } });
    const record = { ...fields, id: 'r1', schemaVersion: 1, createdAt: 1000, updatedAt: 9000, heartbeatAt: 0, sessionId: 's', tabId: 't', starred: true };
    const packed = packMetrics('r1', {
      imagesPerSecond: { x: [1, 2, 3], y: [30, 10, 20] },
      valAccuracy: { x: [2, 4], y: [0.4, 0.35] },
      elapsedMs: { x: [1, 4], y: [100, 4200] },
    });
    const row = runRow(record, packedTraces(packed));
    expect(row).toMatchObject({ throughput: 20, bestValAccuracy: 0.4, durationMs: 4200, starred: true, hasGraph: false, params: compiled.plan.model.totalParams });
    // Without a training time, the span between the first and the last write.
    expect(runRow({ ...record, history: {} }).durationMs).toBe(8000);
  });
});
