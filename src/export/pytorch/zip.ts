/**
 * A project as one .zip, every file inside one folder named after the project, so unpacking it
 * anywhere makes one tidy directory.
 */
import { zipSync, type Zippable } from 'fflate';
import { fileStem } from '../../data/model-files';
import type { ProjectFiles } from './index';

/** `name-pytorch/…` for every file; text as UTF-8. */
export function projectZip(files: ProjectFiles, folder: string): Uint8Array {
  const encoder = new TextEncoder();
  const entries: Zippable = {};
  for (const [path, body] of Object.entries(files)) {
    entries[`${folder}/${path}`] = typeof body === 'string' ? encoder.encode(body) : body;
  }
  // Timestamps fixed, so the same graph zips to the same bytes.
  return zipSync(entries, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') });
}

/** "ResNet-20 on CIFAR-10" → "resnet-20-on-cifar-10-pytorch". */
export function projectFolder(projectName: string): string {
  return `${fileStem(projectName)}-pytorch`;
}
