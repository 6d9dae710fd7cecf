/**
 * Trained models leave the app in TF.js layers format: `model.json` (topology plus a weights
 * manifest) and one `.bin` with the weights, loadable with `tf.loadLayersModel`. The worker saves
 * through `tf.io.withSaveHandler`; this turns those artifacts into the two files (and back), on either
 * side of the worker boundary. The page downloads them (src/run/export-model.ts).
 */
import type { io } from '@tensorflow/tfjs';
import type { Checkpoint } from '../protocol/checkpoint';
import type { ExportedModel } from '../protocol/export-model';

/** One weights buffer from TF.js's `WeightData` (a buffer, or a list of them for large models). */
function concatWeights(data: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data;
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

/** A file-name-safe stem from a project name: "ResNet-20 on CIFAR-10" → "resnet-20-on-cifar-10". */
export function fileStem(name: string): string {
  const stem = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return stem || 'model';
}

/**
 * Builds the two files from saved artifacts. Pure and TF.js-free at run time, so the worker and
 * the page can both use it.
 */
export function toExportedModel(artifacts: io.ModelArtifacts, stem = 'model'): ExportedModel {
  if (!artifacts.modelTopology) throw new Error('the saved model has no topology');
  const weightsName = `${stem}.weights.bin`;
  const json = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
    convertedBy: 'Tensorloom',
    modelTopology: artifacts.modelTopology,
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs ?? [] }],
  };
  return { modelJson: JSON.stringify(json), weights: concatWeights(artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined), weightsName };
}

/** Reads the exported files back into artifacts (`tf.io.fromMemory` takes them), for checks and imports. */
export function fromExportedModel(exported: ExportedModel): io.ModelArtifacts {
  const json = JSON.parse(exported.modelJson) as { modelTopology: object; format?: string; weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[] };
  const manifest = json.weightsManifest[0];
  if (!manifest || manifest.paths[0] !== `./${exported.weightsName}`) throw new Error('model.json does not refer to its weights file');
  return { modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData: exported.weights, ...(json.format ? { format: json.format } : {}) };
}

/** Whether a stored checkpoint payload is a supervised model checkpoint (topology plus weights). */
export function isModelCheckpoint(payload: unknown): payload is Checkpoint {
  const p = payload as Partial<Checkpoint> | null;
  return typeof p === 'object' && p !== null && p.format === 'tensorloom-checkpoint' && typeof p.modelTopology === 'object' && p.weightData instanceof ArrayBuffer;
}

/** The model files of a stored checkpoint; undefined when the payload is not a model checkpoint. */
export function exportFromCheckpoint(payload: unknown, stem: string): ExportedModel | undefined {
  if (!isModelCheckpoint(payload)) return undefined;
  return toExportedModel({ modelTopology: payload.modelTopology, weightSpecs: payload.weightSpecs, weightData: payload.weightData, format: 'layers-model' }, stem);
}
