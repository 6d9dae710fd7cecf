/**
 * `tensorloom export pytorch FILE --out DIR [--weights MODEL_JSON]`: the graph as a PyTorch
 * project. Pure like the other commands: the caller reads files through `ExportIo` and writes
 * what `write` holds, so nothing touches the disk when the export is refused.
 */
import { compile } from '../graph/compile';
import type { NodeRegistry } from '../graph/node-definition';
import { exportPyTorch, type ProjectFiles, type TfjsModelFiles } from '../export/pytorch';
import { admitDocumentText } from '../graph/admit';
import { formatDiagnostic, type CliResult } from './commands';

export interface ExportIo {
  readText(file: string): string | Error;
  readBytes(file: string): Uint8Array | Error;
  /** True when `dir` is missing or an empty folder, the only places an export writes into. */
  isFreshFolder(dir: string): boolean;
  /** `name` relative to the folder of `file` (weights files sit next to their model.json). */
  sibling(file: string, name: string): string;
}

export interface ExportResult extends CliResult {
  write?: { dir: string; files: ProjectFiles };
}

const fail = (code: 1 | 2, stderr: string): ExportResult => ({ code, stdout: '', stderr });

/** The weights files named by a model.json, read next to it. */
function readWeights(file: string, io: ExportIo): TfjsModelFiles | string {
  const text = io.readText(file);
  if (text instanceof Error) return `${file}: cannot read: ${text.message}`;
  let manifest: { weightsManifest?: { paths?: unknown }[] };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch {
    return `${file}: not JSON; --weights takes the model.json that the app's Export wrote`;
  }
  const files: Record<string, Uint8Array> = {};
  for (const group of manifest.weightsManifest ?? []) {
    for (const path of Array.isArray(group.paths) ? (group.paths as unknown[]) : []) {
      const name = String(path).replace(/^\.\//, '');
      if (name.includes('/') || name.includes('\\')) return `${file}: names a weights file outside its folder (${String(path)})`;
      const bytes = io.readBytes(io.sibling(file, name));
      if (bytes instanceof Error) return `${file}: cannot read its weights file ${name}: ${bytes.message}`;
      files[name] = bytes;
    }
  }
  return { modelJson: text, files };
}

export function exportCommand(args: readonly string[], io: ExportIo, registry: NodeRegistry, usage: string): ExportResult {
  const [target, file, ...rest] = args;
  if (target !== 'pytorch' || !file || file.startsWith('--')) return fail(2, `${usage}\n`);
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i]!, rest[i + 1]];
    if ((flag !== '--out' && flag !== '--weights') || value === undefined || value.startsWith('--')) {
      return fail(2, `${flag === '--out' || flag === '--weights' ? `${flag} needs a value` : `unknown argument ${flag}`}\n${usage}\n`);
    }
    options.set(flag, value);
  }
  const dir = options.get('--out');
  if (!dir) return fail(2, `export needs --out DIR, the folder to write the project into\n${usage}\n`);
  if (!io.isFreshFolder(dir)) return fail(2, `${dir} already holds files; choose a new or empty folder, so nothing is overwritten\n`);

  const text = io.readText(file);
  if (text instanceof Error) return fail(2, `${file}: cannot read: ${text.message}\n`);
  const admitted = admitDocumentText(text, registry);
  if (!admitted.ok) {
    return fail(2, `${file}: not a Tensorloom graph this version can open:\n${admitted.problems.map((p) => `  ${p.path || '(document)'}: ${p.message}`).join('\n')}\n`);
  }
  const doc = admitted.doc;
  const compiled = compile(doc, registry);
  if (!compiled.ok) {
    const lines = compiled.diagnostics.map((d) => formatDiagnostic(doc, registry, d));
    return fail(1, `${file}: nothing exported, the graph does not compile:\n${lines.join('\n')}\n`);
  }
  const weightsFile = options.get('--weights');
  const weights = weightsFile === undefined ? undefined : readWeights(weightsFile, io);
  if (typeof weights === 'string') return fail(2, `${weights}\n`);
  const result = exportPyTorch(compiled.plan, weights);
  if (!result.ok) return fail(1, `${result.about === 'weights' ? weightsFile : file}: nothing exported: ${result.message}\n`);
  const names = Object.keys(result.files).sort();
  const next = compiled.plan.mode === 'supervised' ? `cd ${dir} && python3 train.py --data DATA_DIR` : `cd ${dir} && python3 model.py`;
  return {
    code: 0,
    stdout: `${dir}: ${names.length} files (${names.join(', ')})\nnext: ${next}   (README.md has the torchrun commands)\n`,
    stderr: '',
    write: { dir, files: result.files },
  };
}
