import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readImportGraph, readImports, type Edge } from './import-graph';
import { checkLayering, findCycles } from './import-rules';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the import graph', () => {
  const edges = readImportGraph(root);

  it('follows the layering of ARCHITECTURE.md', () => {
    // Joined, so a failure lists every offending import as `file → import (rule)`.
    expect(checkLayering(edges).join('\n')).toBe('');
  });

  it('has no import loops, type-only imports included', () => {
    expect(findCycles(edges).join('\n')).toBe('');
  });

  it('reads the whole repository', () => {
    expect(edges.some((e) => e.from.startsWith('workers/') && e.to === 'src/protocol/train.ts')).toBe(true);
    expect(edges.some((e) => e.from.startsWith('src/run/') && e.to === 'src/protocol/rl.ts')).toBe(true);
  });
});

describe('readImports', () => {
  it('sees static, type-only, re-exported, dynamic and type-position imports', () => {
    const refs = readImports(
      'x.ts',
      [
        "import a from './a';",
        "import type { B } from './b';",
        "import { type C } from './c';",
        "export { d } from './d';",
        "export type { E } from './e';",
        "const f = await import('./f');",
        "type G = typeof import('./g');",
        "const w = new Worker(new URL('./w.worker.ts', import.meta.url));",
      ].join('\n'),
    );
    expect(refs).toEqual([
      { specifier: './a', typeOnly: false },
      { specifier: './b', typeOnly: true },
      { specifier: './c', typeOnly: true },
      { specifier: './d', typeOnly: false },
      { specifier: './e', typeOnly: true },
      { specifier: './f', typeOnly: false },
      { specifier: './g', typeOnly: true },
    ]);
  });
});

describe('the rules and the loop finder', () => {
  const edge = (from: string, to: string, typeOnly = false): Edge => ({ from, to, specifier: to, typeOnly });

  it('reports an import against the layering, and exempts tests', () => {
    const found = checkLayering([
      edge('src/run/client.ts', 'workers/rl/rl.worker.ts', true),
      edge('src/run/client.test.ts', 'workers/rl/rl.worker.ts'),
      edge('src/protocol/train.ts', 'src/graph/plan.ts'),
      { from: 'src/editor/x.ts', pkg: '@tensorflow/tfjs', specifier: '@tensorflow/tfjs', typeOnly: false },
    ]);
    expect(found).toEqual([
      'src/run/client.ts → workers/rl/rl.worker.ts (type) (the page never imports workers/ (it talks to them through src/protocol))',
      'src/protocol/train.ts → src/graph/plan.ts (src/protocol is types and constants: only src/graph and src/rl types)',
      'src/editor/x.ts → @tensorflow/tfjs (TF.js only in workers/ and bench/)',
    ]);
  });

  it('finds a loop and prints it in order', () => {
    const loops = findCycles([edge('a.ts', 'b.ts', true), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts'), edge('c.ts', 'd.ts')]);
    expect(loops).toEqual(['a.ts → b.ts → c.ts → a.ts']);
  });
});
