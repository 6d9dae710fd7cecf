import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { paramIssues } from './params';

describe('paramIssues', () => {
  it.each([
    ['far above the bound', 1e308, /<=4096/],
    ['far below the bound', -1e308, />=1/],
    ['just above the bound', 5000, /<=4096/],
  ])('reports an integer %s once, with the node’s own bound', (_why, filters, bound) => {
    const { issues } = paramIssues(registry.Conv2D!, { filters });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', param: 'filters', message: expect.stringMatching(bound) });
  });

  it('still reports each bad parameter on its own', () => {
    const { issues } = paramIssues(registry.Conv2D!, { filters: 1e308, kernelSize: 2.5, padding: 'round' });
    expect(issues.map((i) => i.param).sort()).toEqual(['filters', 'kernelSize', 'padding']);
  });
});
