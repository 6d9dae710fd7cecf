import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { compile } from '../graph';
import { benchGraph } from './bench-graph';

describe('benchmark graph', () => {
  it('has exactly the asked node and edge counts and compiles to a plan', () => {
    const doc = benchGraph(1000, 1500);
    expect(doc.nodes).toHaveLength(1000);
    expect(doc.edges).toHaveLength(1500);
    const result = compile(doc, registry);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('scales down for quick runs', () => {
    const doc = benchGraph(50, 70);
    expect(doc.nodes).toHaveLength(50);
    expect(compile(doc, registry).ok).toBe(true);
  });
});
