/**
 * The weights a plan's TF.js model holds, by the names the model builder gives them, and a check
 * that an exported model.json fits the plan before it travels with a PyTorch project.
 */
import type { ModelPlan } from '../../graph/plan';
import { tfjsLayerName } from './names';

/** A TF.js layers model as files: model.json's text and the weight files its manifest names. */
export interface TfjsModelFiles {
  modelJson: string;
  /** By the manifest's path without a leading `./`. */
  files: Record<string, Uint8Array>;
}

export interface WeightSpec {
  name: string;
  shape: number[];
}

/** Every weight of the plan's model (`layer/kernel`, `layer/gamma`, …) with its TF.js shape. */
export function expectedTfjsWeights(model: ModelPlan): WeightSpec[] {
  const byId = new Map(model.ops.map((op) => [op.id, op]));
  const out: WeightSpec[] = [];
  for (const op of model.ops) {
    const layer = tfjsLayerName(op.id);
    const input = op.inputs[0] ? byId.get(op.inputs[0])!.shape : [];
    const s = op.spec;
    if (s.op === 'conv2d') {
      out.push({ name: `${layer}/kernel`, shape: [...s.kernelSize, input[2]!, s.filters] });
      if (s.useBias) out.push({ name: `${layer}/bias`, shape: [s.filters] });
    } else if (s.op === 'conv2dTranspose') {
      out.push({ name: `${layer}/kernel`, shape: [...s.kernelSize, s.filters, input[2]!] });
      if (s.useBias) out.push({ name: `${layer}/bias`, shape: [s.filters] });
    } else if (s.op === 'dense') {
      out.push({ name: `${layer}/kernel`, shape: [input[0]!, s.units] });
      if (s.useBias) out.push({ name: `${layer}/bias`, shape: [s.units] });
    } else if (s.op === 'batchNorm') {
      const c = input[input.length - 1]!;
      for (const w of ['gamma', 'beta', 'moving_mean', 'moving_variance']) out.push({ name: `${layer}/${w}`, shape: [c] });
    }
  }
  return out;
}

interface Manifest {
  weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

/** Why `files` is not a TF.js model of this plan (the first layer that differs), or undefined when it is. */
export function checkTfjsWeights(model: ModelPlan, files: TfjsModelFiles): string | undefined {
  let json: Manifest;
  try {
    json = JSON.parse(files.modelJson) as Manifest;
  } catch {
    return 'the model file is not JSON: choose the model.json that Export → Trained model wrote';
  }
  if (!Array.isArray(json.weightsManifest)) return 'the model file has no weightsManifest: is it a TF.js layers model.json?';
  const got = new Map<string, number[]>();
  for (const group of json.weightsManifest) {
    let bytes = 0;
    for (const w of group.weights) {
      got.set(w.name.replace(/_\d+$/, ''), w.shape);
      bytes += w.shape.reduce((a, b) => a * b, 1) * (w.dtype === 'float32' || w.dtype === 'int32' ? 4 : 1);
    }
    const have = group.paths.reduce((sum, p) => sum + (files.files[p.replace(/^\.\//, '')]?.length ?? Number.NaN), 0);
    if (Number.isNaN(have)) return `the weights file ${group.paths.find((p) => !files.files[p.replace(/^\.\//, '')])} that model.json names is missing`;
    if (have !== bytes) return `the weights files hold ${have} bytes, model.json describes ${bytes}`;
  }
  const expected = expectedTfjsWeights(model);
  for (const w of expected) {
    const shape = got.get(w.name);
    if (!shape) return `layer ${w.name.split('/')[0]} has no ${w.name.split('/')[1]} in model.json: was it exported from a different graph?`;
    if (shape.join(',') !== w.shape.join(',')) {
      return `layer ${w.name.split('/')[0]}: ${w.name.split('/')[1]} is [${shape.join(',')}] in model.json, this graph has [${w.shape.join(',')}]`;
    }
    got.delete(w.name);
  }
  const extra = [...got.keys()][0];
  return extra ? `model.json has weights for layer ${extra.split('/')[0]}, which this graph does not have` : undefined;
}
