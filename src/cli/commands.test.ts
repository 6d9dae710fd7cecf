import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetDoc } from '../../presets/test-fixtures';
import { run } from './commands';

const files = (entries: Record<string, string>) => (file: string) => entries[file] ?? new Error('ENOENT: no such file');

describe('tensorloom check', () => {
  it('passes a preset with exit 0', () => {
    const result = run(['check', 'resnet.json'], files({ 'resnet.json': JSON.stringify(presetDoc('resnet-cifar')) }), registry);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^memory: ~661 MB to train at batch 64 \(the Optimizer's batch size\): weights 1\.1 MB, .*; the browser can hold ~2 GB\nresnet\.json: 0 errors, 0 warnings\n$/);
  });

  it('reports positions it moved back onto the canvas as warnings, in check and on stderr for plan', () => {
    const doc = presetDoc('resnet-cifar');
    doc.nodes[0] = { ...doc.nodes[0]!, position: { x: 1e308, y: 0 } };
    const read = files({ 'far.json': JSON.stringify(doc) });
    const checked = run(['check', 'far.json'], read, registry);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(new RegExp(`^warning file nodes\\.0\\.position: node "${doc.nodes[0]!.id}" was at \\(1e\\+308, 0\\), far outside the canvas; moved to \\(`, 'm'));
    expect(checked.stdout).toMatch(/far\.json: 0 errors, 1 warning\n$/);
    const planned = run(['plan', 'far.json', '--json'], read, registry);
    expect(planned.code).toBe(0);
    expect(() => JSON.parse(planned.stdout)).not.toThrow();
    expect(planned.stderr).toMatch(/far outside the canvas/);
  });

  it('exits 1 with the memory figure when the model is too big to train in a browser', () => {
    const doc = presetDoc('resnet-cifar');
    doc.nodes = doc.nodes.map((n) => (n.type === 'ResidualBlock' || n.type === 'Conv2D' ? { ...n, params: { ...n.params, filters: 4096 } } : n));
    const result = run(['check', 'big.json'], files({ 'big.json': JSON.stringify(doc) }), registry);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/error {3}node "stage1-block1" \(Residual block\): 4,096 filters → 302 M parameters here \(2\.75 G in the model\), ~\d+ GB to train at batch 64; this browser can hold ~2 GB/);
    expect(result.stdout).toMatch(/^memory: ~\d+ GB to train at batch 64/m);
  });

  it('exits 1 naming the node when an edge is removed', () => {
    const doc = presetDoc('resnet-cifar');
    doc.edges = doc.edges.filter((e) => e.target !== 'stage3-block2');
    const result = run(['check', 'g.json'], files({ 'g.json': JSON.stringify(doc) }), registry);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error   node "stage3-block2" (Residual block): Residual block needs its in input connected');
  });

  it('exits 2 naming the edge when a cycle is added (Import refuses it too)', () => {
    const doc = presetDoc('dqn-driver');
    doc.edges = doc.edges.filter((e) => e.target !== 'hidden1');
    doc.edges.push({ id: 'back', source: 'hidden2', sourcePort: 'out', target: 'hidden1', targetPort: 'in' });
    const result = run(['check', 'g.json'], files({ 'g.json': JSON.stringify(doc) }), registry);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/edges\.\d+: edge hidden2 → hidden1: this edge would make a loop/);
  });

  it('reads a file that starts with a byte-order mark, and never quotes invisible characters', () => {
    const text = JSON.stringify(presetDoc('resnet-cifar'));
    expect(run(['check', 'bom.json'], files({ 'bom.json': `\ufeff${text}` }), registry)).toMatchObject({ code: 0 });
    const broken = run(['check', 'x.json'], files({ 'x.json': `\ufeff\u200b${text}` }), registry);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('U+200B');
    expect(broken.stderr).not.toMatch(/[\ufeff\u200b]/);
  });

  it('exits 2 for unreadable files and non-graphs', () => {
    expect(run(['check', 'missing.json'], files({}), registry)).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read') });
    expect(run(['check', 'x.json'], files({ 'x.json': '{"a":1}' }), registry)).toMatchObject({ code: 2, stderr: expect.stringContaining('not a Tensorloom graph') });
    expect(run(['check', 'x.json'], files({ 'x.json': 'nope' }), registry)).toMatchObject({ code: 2, stderr: expect.stringContaining('not valid JSON') });
    expect(run(['frobnicate', 'x.json'], files({}), registry).code).toBe(2);
  });
});

describe('tensorloom plan', () => {
  it('summarizes nodes, parameters, FLOPs and shapes', () => {
    const result = run(['plan', 'r.json'], files({ 'r.json': JSON.stringify(presetDoc('resnet-cifar')) }), registry);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('parameters: 274,042 (272,474 trainable)');
    expect(result.stdout).toMatch(/stage2-block1\s+ResidualBlock\s+\[16,16,32\]/);
    expect(result.stdout).toContain('input [32,32,3] → output [10]');
    expect(result.stdout).toMatch(/^memory: ~661 MB to train at batch 64 .*SGD momentum 1\.09 MB, activations 656 MB, input batch 1\.57 MB;/m);
  });

  it('prints one JSON object with --json', () => {
    const result = run(['plan', 'r.json', '--json'], files({ 'r.json': JSON.stringify(presetDoc('dqn-driver')) }), registry);
    const out = JSON.parse(result.stdout);
    expect(out.plan.mode).toBe('rl');
    expect(out.totalParams).toBe(out.plan.model.totalParams);
    expect(out.totalFlops).toBe(out.plan.model.totalFlops);
  });
});

describe('the installed command', () => {
  it('runs through npm with the documented exit codes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-cli-'));
    const broken = join(dir, 'broken.json');
    const doc = presetDoc('resnet-cifar');
    doc.edges.pop();
    writeFileSync(broken, JSON.stringify(doc));
    const json = execFileSync('npm', ['run', '-s', 'tensorloom', '--', 'plan', 'presets/resnet-cifar.json', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(json).totalParams).toBe(274_042);
    const failed = spawnSync('npm', ['run', '-s', 'tensorloom', '--', 'check', broken], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('node "evaluate"');
  }, 60_000);
});
