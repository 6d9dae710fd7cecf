import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { compile } from '../graph/compile';
import { expectedTfjsWeights } from '../export/pytorch';
import { USAGE } from './commands';
import { exportCommand, type ExportIo } from './export';

const preset = (id: 'resnet-cifar' | 'dqn-driver') => structuredClone(presetById(id)!.doc);

/** Files in memory; `used` folders are not fresh. */
function io(text: Record<string, string>, bytes: Record<string, Uint8Array> = {}, used: string[] = []): ExportIo {
  return {
    readText: (f) => text[f] ?? new Error('ENOENT: no such file'),
    readBytes: (f) => bytes[f] ?? new Error('ENOENT: no such file'),
    isFreshFolder: (d) => !used.includes(d),
    sibling: (f, name) => `${f.slice(0, f.lastIndexOf('/') + 1)}${name}`,
  };
}

/** A model.json + bin for the DQN preset's weights, as the app's Export names them. */
function dqnWeights(dir: string) {
  const compiled = compile(preset('dqn-driver'), registry);
  if (!compiled.ok) throw new Error('the DQN preset does not compile');
  const shapes = expectedTfjsWeights(compiled.plan.model);
  const size = shapes.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  const json = JSON.stringify({ weightsManifest: [{ paths: ['./dqn-driver.weights.bin'], weights: shapes.map((w) => ({ ...w, dtype: 'float32' })) }] });
  return { text: { [`${dir}/model.json`]: json }, bytes: { [`${dir}/dqn-driver.weights.bin`]: new Uint8Array(size) } };
}

describe('tensorloom export pytorch', () => {
  it('hands back the project to write, and says what comes next', () => {
    const r = exportCommand(['pytorch', 'g.json', '--out', 'proj'], io({ 'g.json': JSON.stringify(preset('resnet-cifar')) }), registry, USAGE);
    expect(r.code).toBe(0);
    expect(r.write?.dir).toBe('proj');
    expect(Object.keys(r.write!.files)).toEqual(expect.arrayContaining(['model.py', 'train.py', 'data.py', 'README.md']));
    expect(r.stdout).toContain('next: cd proj && python3 train.py --data DATA_DIR');
  });

  it('exports nothing from a graph that does not compile, and lists why', () => {
    const doc = preset('resnet-cifar');
    doc.edges = doc.edges.filter((e) => e.target !== 'stage3-block2');
    const r = exportCommand(['pytorch', 'g.json', '--out', 'proj'], io({ 'g.json': JSON.stringify(doc) }), registry, USAGE);
    expect(r).toMatchObject({ code: 1 });
    expect(r.write).toBeUndefined();
    expect(r.stderr).toContain('g.json: nothing exported, the graph does not compile:');
    expect(r.stderr).toContain('error   node "stage3-block2" (Residual block): Residual block needs its in input connected');
  });

  it('takes the app weights along when they fit, and refuses them naming the layer when not', () => {
    const w = dqnWeights('run');
    const ok = exportCommand(['pytorch', 'g.json', '--out', 'p', '--weights', 'run/model.json'], io({ 'g.json': JSON.stringify(preset('dqn-driver')), ...w.text }, w.bytes), registry, USAGE);
    expect(ok.code).toBe(0);
    expect(Object.keys(ok.write!.files)).toEqual(expect.arrayContaining(['tfjs/model.json', 'tfjs/dqn-driver.weights.bin']));
    const wrong = exportCommand(['pytorch', 'g.json', '--out', 'p', '--weights', 'run/model.json'], io({ 'g.json': JSON.stringify(preset('resnet-cifar')), ...w.text }, w.bytes), registry, USAGE);
    expect(wrong).toMatchObject({ code: 1 });
    expect(wrong.write).toBeUndefined();
    expect(wrong.stderr).toBe('run/model.json: nothing exported: layer stem_conv_conv has no kernel in model.json: was it exported from a different graph?\n');
    const noBin = exportCommand(['pytorch', 'g.json', '--out', 'p', '--weights', 'run/model.json'], io({ 'g.json': JSON.stringify(preset('dqn-driver')), ...w.text }), registry, USAGE);
    expect(noBin.stderr).toBe('run/model.json: cannot read its weights file dqn-driver.weights.bin: ENOENT: no such file\n');
  });

  it('refuses a folder that holds files, a missing --out, and unknown arguments, writing nothing', () => {
    const files = io({ 'g.json': JSON.stringify(preset('resnet-cifar')) }, {}, ['proj']);
    const used = exportCommand(['pytorch', 'g.json', '--out', 'proj'], files, registry, USAGE);
    expect(used).toMatchObject({ code: 2, stderr: expect.stringContaining('proj already holds files') });
    expect(used.write).toBeUndefined();
    expect(exportCommand(['pytorch', 'g.json'], files, registry, USAGE)).toMatchObject({ code: 2, stderr: expect.stringContaining('export needs --out DIR') });
    expect(exportCommand(['pytorch', 'g.json', '--out', 'x', '--force', '1'], files, registry, USAGE)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown argument --force') });
    expect(exportCommand(['keras', 'g.json', '--out', 'x'], files, registry, USAGE)).toMatchObject({ code: 2, stderr: expect.stringContaining('tensorloom export pytorch FILE --out DIR') });
  });

  it('writes the files through the installed command', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tensorloom-export-')), 'project');
    const r = spawnSync('npm', ['run', '-s', 'tensorloom', '--', 'export', 'pytorch', 'presets/dqn-driver.json', '--out', dir], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'model.py', 'requirements.txt', 'tools']);
    expect(existsSync(join(dir, 'tools/convert_tfjs.py'))).toBe(true);
  }, 60_000);
});
