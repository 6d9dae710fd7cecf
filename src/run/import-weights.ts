/**
 * Weights trained elsewhere (PyTorch's `tools/export_tfjs.py`, or the app's own Export) coming back
 * onto the open graph: the chosen files (model.json + its .bin, or a .zip holding them) are read,
 * every layer is checked against the graph's plan by name and shape, and the weights become a
 * supervised checkpoint the worker restores like any other. Pure: no TF.js, no storage.
 */
import { unzipSync } from 'fflate';
import type { ModelPlan } from '../graph/plan';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint } from '../protocol/checkpoint';
import { checkTfjsWeights, expectedTfjsWeights, type TfjsModelFiles } from '../export/pytorch/tfjs-weights';

/** One file the user picked or dropped. */
export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

/** A result, or why the files were refused, in the user's words. */
export type Refusable<T> = ({ ok: true } & T) | { ok: false; message: string };

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/**
 * Finds the one model.json among the files (a .zip is opened first) and keys the others by their
 * base name, which is how the manifest's `./model.weights.bin` paths are matched.
 */
export function readModelFiles(picked: readonly PickedFile[]): Refusable<{ files: TfjsModelFiles; source: string }> {
  const flat: PickedFile[] = [];
  for (const f of picked) {
    if (!/\.zip$/i.test(f.name)) {
      flat.push(f);
      continue;
    }
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(f.bytes);
    } catch {
      return { ok: false, message: `${f.name} is not a readable .zip` };
    }
    for (const [path, bytes] of Object.entries(entries)) if (!path.endsWith('/')) flat.push({ name: path, bytes });
  }
  const decoder = new TextDecoder();
  // The whole text: a large graph's topology comes before the manifest and can run to megabytes.
  const jsons = flat.filter((f) => /\.json$/i.test(f.name) && decoder.decode(f.bytes).includes('"weightsManifest"'));
  if (jsons.length === 0) {
    return { ok: false, message: 'none of the files is a TF.js model.json: choose the model.json and its .bin that tools/export_tfjs.py (or Export) wrote, or a .zip holding them' };
  }
  if (jsons.length > 1) return { ok: false, message: `choose one model at a time: ${jsons.map((j) => j.name).join(' and ')} are both model files` };
  const json = jsons[0]!;
  const files: Record<string, Uint8Array> = {};
  for (const f of flat) if (f !== json) files[baseName(f.name)] = f.bytes;
  const modelJson = decoder.decode(json.bytes);
  let manifest: ModelJson;
  try {
    manifest = JSON.parse(modelJson) as ModelJson;
  } catch {
    return { ok: false, message: `${json.name} is not valid JSON` };
  }
  // Manifest paths may name folders (`./model.weights.bin`, `tfjs/x.bin`): match them by base name.
  const normalized = {
    ...manifest,
    weightsManifest: (manifest.weightsManifest ?? []).map((g) => ({ ...g, paths: g.paths.map(baseName) })),
  };
  return { ok: true, files: { modelJson: JSON.stringify(normalized), files }, source: baseName(json.name) };
}

/**
 * Checks the files against the plan's model (every layer, by name and shape; the first that differs
 * is named) and turns them into a checkpoint holding the weights in the plan's order. `epoch` is
 * where the checkpoint stands: the plan's last epoch makes a resumed run evaluate without training.
 */
export function importWeights(model: ModelPlan, files: TfjsModelFiles, at: { epoch: number; step: number }): Refusable<{ checkpoint: Checkpoint }> {
  const problem = checkTfjsWeights(model, files);
  if (problem) return { ok: false, message: `These weights do not fit the open graph: ${problem}` };
  const json = JSON.parse(files.modelJson) as ModelJson;
  if (typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    return { ok: false, message: 'model.json has no modelTopology: is it a TF.js layers model?' };
  }
  // Where each weight's values sit in its group's files, by name.
  const found = new Map<string, Float32Array>();
  for (const group of json.weightsManifest ?? []) {
    const parts = group.paths.map((p) => files.files[p]!);
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    let offset = 0;
    for (const w of group.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const name = w.name.replace(/_\d+$/, '');
      if (w.dtype !== 'float32') return { ok: false, message: `layer ${name.split('/')[0]}: ${name.split('/')[1]} is ${w.dtype}, the app trains float32 weights` };
      const values = new Float32Array(bytes.slice(offset, offset + size * 4).buffer);
      offset += size * 4;
      if (values.some((v) => !Number.isFinite(v))) return { ok: false, message: `layer ${name.split('/')[0]}: ${name.split('/')[1]} holds NaN or infinite values` };
      found.set(name, values);
    }
  }
  const specs = expectedTfjsWeights(model);
  const data = new Float32Array(specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0));
  let offset = 0;
  for (const s of specs) {
    const values = found.get(s.name)!;
    data.set(values, offset);
    offset += values.length;
  }
  return {
    ok: true,
    checkpoint: {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      epoch: at.epoch,
      step: at.step,
      modelTopology: json.modelTopology,
      weightSpecs: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: 'float32' as const })),
      weightData: data.buffer,
    },
  };
}
