/**
 * Test support: Debian's Python with PyTorch (the `python3` first on PATH may lack torch), and a
 * project written to a folder. Used by the export tests only.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { registry } from '../../../nodes/registry';
import { admitDocumentText } from '../../graph/admit';
import { compile } from '../../graph/compile';
import type { SupervisedPlan } from '../../graph/plan';
import type { ProjectFiles } from './index';
import type { ImageSet } from '../../data/cifar';

export const PYTHON = '/usr/bin/python3';

/** Why the Python tests cannot run here, or undefined when they can. */
export function torchMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} is not there (${r.error.message}); CI installs python3-torch`;
  return r.status === 0 ? undefined : `${PYTHON} cannot import torch and numpy; CI installs python3-torch`;
}

/**
 * An exported project with the app's weights in `tfjs/` and the run's images as raw files a check
 * script reads (`stats.json`, `train.bin`, `val.bin` and their labels), written to `dir`.
 */
export function writeProjectWithAppData(
  dir: string,
  files: ProjectFiles,
  app: { modelJson: string; weightsName: string; weights: ArrayBuffer },
  stats: object,
  data: { train: ImageSet; validation: ImageSet },
): void {
  writeProject(dir, {
    ...files,
    'tfjs/model.json': app.modelJson,
    [`tfjs/${app.weightsName}`]: new Uint8Array(app.weights),
    'stats.json': JSON.stringify({ ...stats, shape: data.train.shape }),
    'train.bin': data.train.images,
    'train-labels.bin': data.train.labels,
    'val.bin': data.validation.images,
    'val-labels.bin': data.validation.labels,
  });
}

export function writeProject(dir: string, files: ProjectFiles): void {
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
}

/**
 * The start of a script that imports each `case{i}/train.py` of `count` exported projects written
 * side by side, as `train` inside a loop over `i` (the caller's lines follow, indented by 4).
 */
export function eachCaseTrainPy(count: number): string {
  return `import importlib.util, json, sys
rates = []
for i in range(${count}):
    sys.path.insert(0, f"case{i}")
    spec = importlib.util.spec_from_file_location(f"train{i}", f"case{i}/train.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
`;
}

/** Runs Python in `cwd`; the output, or a thrown error with everything it printed. */
export function python(cwd: string, args: string[], timeoutMs = 60_000): string {
  const r = spawnSync(PYTHON, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * The start of a check script run in an exported project: imports numpy, torch and the project's
 * `modules` (comma-separated), converts the app's tfjs/model.json to `pt` and loads it as `net`.
 */
export function loadAppModelPy(modules: string, pt: string): string {
  return `import json, sys
import numpy as np, torch
sys.path[:0] = [".", "tools"]
import convert_tfjs, export_tfjs, ${modules}
convert_tfjs.convert("tfjs/model.json", "${pt}")
net = convert_tfjs.new_model()
net.load_state_dict(torch.load("${pt}"))
`;
}

/** The fixture graph with every layer op, compiled; `params` by node id override its nodes' params. */
export function everyOpPlan(params: Record<string, Record<string, unknown>> = {}): SupervisedPlan {
  const a = admitDocumentText(readFileSync(join(__dirname, 'fixtures/every-layer-op.json'), 'utf8'), registry);
  if (!a.ok) throw new Error('fixture not admitted');
  const doc = a.doc;
  doc.nodes = doc.nodes.map((n) => (params[n.id] ? { ...n, params: { ...n.params, ...params[n.id] } } : n));
  const r = compile(doc, registry);
  if (!r.ok || r.plan.mode !== 'supervised') throw new Error(r.ok ? 'fixture is not supervised' : r.diagnostics.map((d) => d.message).join('; '));
  return r.plan;
}

/** CIFAR-format records (label byte, then channel planes) whose class sets the image's brightness pattern. */
export function records(count: number, [h, w, c]: readonly number[], classes: number, seed: number): Uint8Array {
  const size = h! * w! * c!;
  const out = new Uint8Array(count * (1 + size));
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    out[i * (1 + size)] = label;
    for (let p = 0; p < size; p++) {
      const plane = Math.floor(p / (h! * w!));
      const row = Math.floor((p % (h! * w!)) / w!);
      const on = (plane === label % c! ? 1 : 0) + (row < h! / 2 === label < classes / 2 ? 1 : 0);
      out[i * (1 + size) + 1 + p] = Math.min(255, on * 90 + Math.floor(rand() * 60));
    }
  }
  return out;
}
