/**
 * Page side of the PyTorch export: the project of a plan (with a run's trained weights, when
 * given) as a .zip download. Browser only (it clicks a link).
 */
import type { TrainingPlan } from '../../graph/plan';
import { exportPyTorch, type TfjsModelFiles } from './index';
import { projectFolder, projectZip } from './zip';

export type DownloadResult = { ok: true; fileName: string } | { ok: false; message: string };

export function downloadPyTorchProject(plan: TrainingPlan, weights?: TfjsModelFiles): DownloadResult {
  const exported = exportPyTorch(plan, weights);
  if (!exported.ok) return { ok: false, message: exported.message };
  const folder = projectFolder(plan.name);
  const zip = projectZip(exported.files, folder);
  const url = URL.createObjectURL(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${folder}.zip`;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: Chromium reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { ok: true, fileName: a.download };
}
