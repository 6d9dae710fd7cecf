/**
 * The PyTorch export: a compiled plan → the files of a runnable PyTorch project. Pure (no TF.js, no
 * file system), so the CLI, the app and tests all call the same function.
 */
import type { TrainingPlan } from '../../graph/plan';
import { dataPy } from './data-py';
import { kerasTopology } from './keras-topology';
import { ExportError, modelPy } from './model-py';
import { className } from './names';
import { readme } from './readme';
import { convertTfjsPy, exportTfjsPy } from './tools-py';
import { trainPy } from './train-py';
import { checkTfjsWeights, type TfjsModelFiles } from './tfjs-weights';

export { ExportError } from './model-py';
export { expectedTfjsWeights, checkTfjsWeights, type TfjsModelFiles } from './tfjs-weights';

/** A project's files by relative path; text, or bytes for trained weights. */
export type ProjectFiles = Record<string, string | Uint8Array>;

export type PyTorchExport =
  | { ok: true; files: ProjectFiles; className: string }
  /** `about`: whether the graph (an op the export does not know) or the given weights stopped it. */
  | { ok: false; message: string; about: 'graph' | 'weights' };

/**
 * Writes the project for `plan`. With `weights` (the app's exported model.json and .bin), they are
 * checked against the plan and travel in `tfjs/` for `tools/convert_tfjs.py`.
 */
export function exportPyTorch(plan: TrainingPlan, weights?: TfjsModelFiles): PyTorchExport {
  try {
    const cls = className(plan.name);
    const files: ProjectFiles = {
      'model.py': modelPy(plan.model, plan.name, cls),
      'README.md': readme(plan, cls, weights !== undefined, trainingNotCovered(plan)),
      'requirements.txt': 'torch>=1.13\nnumpy\n',
      'tools/convert_tfjs.py': convertTfjsPy(cls),
      'tools/export_tfjs.py': exportTfjsPy(cls),
      'tools/model_topology.json': `${JSON.stringify(kerasTopology(plan.model))}\n`,
    };
    const uncovered = trainingNotCovered(plan);
    if (plan.mode === 'supervised' && uncovered.length === 0) {
      files['data.py'] = dataPy(plan);
      files['train.py'] = trainPy(plan, cls);
    }
    if (weights) {
      const problem = checkTfjsWeights(plan.model, weights);
      if (problem) return { ok: false, message: problem, about: 'weights' };
      files['tfjs/model.json'] = weights.modelJson;
      for (const [name, bytes] of Object.entries(weights.files)) files[`tfjs/${name}`] = bytes;
    }
    return { ok: true, files, className: cls };
  } catch (e) {
    if (e instanceof ExportError) return { ok: false, message: e.message, about: 'graph' };
    throw e;
  }
}

/**
 * The training settings of a supervised plan that `train.py` does not reproduce yet. Writing a
 * training script that silently trains something else (labels in place of a reconstruction target,
 * no corruption, a fresh start instead of a transfer) would mislead; such a project holds the model
 * and its weights only, and its README names what stays in the app.
 */
export function trainingNotCovered(plan: TrainingPlan): string[] {
  if (plan.mode !== 'supervised') return [];
  const out: string[] = [];
  if (plan.loss.params.target === 'input') out.push('a reconstruction loss (the model compared with its own input)');
  if (plan.dataset.params.useLabels === false) out.push('training without labels');
  if (typeof plan.dataset.params.labelsPerClass === 'number' && plan.dataset.params.labelsPerClass > 0) out.push('a class-balanced subset of the labels');
  if (plan.augmentations.some((a) => Number(a.params.maskPatches) > 0 || Number(a.params.noiseStd) > 0)) out.push('input corruption (masked patches, noise)');
  if (plan.initFrom) out.push('starting from another run\'s weights');
  return out;
}
