/**
 * The `tensorloom` command line, as pure functions from arguments and file text to output and an
 * exit code, so tests can run it without spawning processes.
 */
import { definitionOf } from '../graph/node-definition';
import { compile } from '../graph/compile';
import type { Diagnostic } from '../graph/diagnostics';
import { admitDocumentText } from '../graph/admit';
import type { GraphDocument } from '../graph/document';
import type { NodeRegistry } from '../graph/node-definition';
import { describeMemory, formatBytes, trainingBudget, type MemoryEstimate } from '../graph/memory';
import { DEFAULT_BACKEND_PREFERENCE, type Backend } from '../graph/plan';
import { describeValue } from '../graph/ports';

export interface CliResult {
  code: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

export const USAGE = `usage:
  tensorloom check FILE         report diagnostics; exit 1 on errors, 2 if FILE is unreadable or not a graph
  tensorloom plan FILE [--json] summarize the training plan (nodes, parameters, FLOPs, output shapes);
                                with --json, print one JSON object: { plan, totalParams, totalFlops }
  tensorloom export pytorch FILE --out DIR [--weights MODEL_JSON]
                                write a runnable PyTorch project (model, data, train, README, weight tools)
                                into the new or empty folder DIR; with --weights, the app's exported
                                model.json and its .bin travel along for tools/convert_tfjs.py`;

function nodeName(doc: GraphDocument, registry: NodeRegistry, nodeId: string | undefined): string {
  if (!nodeId) return 'graph';
  const node = doc.nodes.find((n) => n.id === nodeId);
  const title = node ? (node.label ?? definitionOf(registry, node.type)?.title ?? node.type) : 'unknown';
  return `node "${nodeId}" (${title})`;
}

export function formatDiagnostic(doc: GraphDocument, registry: NodeRegistry, d: Diagnostic): string {
  return `${d.severity.padEnd(7)} ${nodeName(doc, registry, d.nodeId)}: ${d.message}`;
}

const integer = new Intl.NumberFormat('en-US');

function flops(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GFLOPs`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MFLOPs`;
  return `${integer.format(n)} FLOPs`;
}

/** `notes`: what the way in changed while admitting the file (positions clamped, say), one line each. */
type Loaded = { ok: true; doc: GraphDocument; notes: string[] } | { ok: false; result: CliResult };

/** Reads a file through the one way in, as the app's Import does (byte-order mark included). */
function load(file: string, text: string | Error, registry: NodeRegistry): Loaded {
  if (text instanceof Error) return { ok: false, result: { code: 2, stdout: '', stderr: `${file}: cannot read: ${text.message}\n` } };
  const parsed = admitDocumentText(text, registry);
  if (!parsed.ok) {
    const lines = parsed.problems.map((p) => `  ${p.path || '(document)'}: ${p.message}`);
    return { ok: false, result: { code: 2, stdout: '', stderr: `${file}: not a Tensorloom graph this version can open:\n${lines.join('\n')}\n` } };
  }
  const notes = (parsed.warnings ?? []).map((w) => `${'warning'.padEnd(7)} file${w.path ? ` ${w.path}` : ''}: ${w.message}`);
  return { ok: true, doc: parsed.doc, notes };
}

/** The way in's notes for commands whose stdout is their product: on stderr. */
function notesOut(loaded: { notes: string[] }): string {
  return loaded.notes.map((n) => `${n}\n`).join('');
}

function memoryLine(m: MemoryEstimate, backends: readonly Backend[]): string {
  return `memory: ${describeMemory(m)}; the browser can hold ~${formatBytes(trainingBudget(backends))}`;
}

export function check(file: string, text: string | Error, registry: NodeRegistry): CliResult {
  const loaded = load(file, text, registry);
  if (!loaded.ok) return loaded.result;
  const { doc } = loaded;
  const result = compile(doc, registry);
  const diagnostics = result.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors + loaded.notes.length;
  const lines = [...loaded.notes, ...diagnostics.map((d) => formatDiagnostic(doc, registry, d))];
  if (result.memory) lines.push(memoryLine(result.memory, result.ok ? result.plan.backendPreference : DEFAULT_BACKEND_PREFERENCE));
  lines.push(`${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return { code: errors > 0 ? 1 : 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
}

export function plan(file: string, text: string | Error, registry: NodeRegistry, json: boolean): CliResult {
  const loaded = load(file, text, registry);
  if (!loaded.ok) return loaded.result;
  const { doc } = loaded;
  const result = compile(doc, registry);
  if (!result.ok) {
    const lines = result.diagnostics.map((d) => formatDiagnostic(doc, registry, d));
    return { code: 1, stdout: '', stderr: `${notesOut(loaded)}${file}: cannot compile:\n${lines.join('\n')}\n` };
  }
  const { plan: p, analysis } = result;
  if (json) {
    const out = { plan: p, totalParams: p.model.totalParams, trainableParams: p.model.trainableParams, totalFlops: p.model.totalFlops };
    return { code: 0, stdout: `${JSON.stringify(out)}\n`, stderr: notesOut(loaded) };
  }
  const rows = analysis.order.map((id) => {
    const node = doc.nodes.find((n) => n.id === id)!;
    const a = analysis.nodes[id]!;
    const out = Object.values(a.outputs).map(describeValue).join(', ');
    return [id, node.type, out, a.paramCount ? integer.format(a.paramCount) : '', a.flops ? flops(a.flops) : ''];
  });
  const header = ['node', 'type', 'output', 'params', 'FLOPs/sample'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [
    `${doc.name} — ${p.mode === 'supervised' ? 'supervised training' : 'reinforcement learning'}`,
    '',
    fmt(header),
    ...rows.map(fmt),
    '',
    `nodes: ${doc.nodes.length}, model ops: ${p.model.ops.length}`,
    `parameters: ${integer.format(p.model.totalParams)} (${integer.format(p.model.trainableParams)} trainable)`,
    `FLOPs per sample (forward): ${flops(p.model.totalFlops)}`,
    memoryLine(p.memory, p.backendPreference),
    `input ${describeValue({ kind: 'tensor', shape: p.model.inputShape })} → output ${describeValue({ kind: 'tensor', shape: p.model.outputShape })}`,
    ...result.diagnostics.map((d) => formatDiagnostic(doc, registry, d)),
  ];
  return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: notesOut(loaded) };
}

/** Runs the command line: `args` without the program name; `read` returns the file text or an Error. */
export function run(args: readonly string[], read: (file: string) => string | Error, registry: NodeRegistry): CliResult {
  const [command, file, ...rest] = args;
  if (!command || !file || (command !== 'check' && command !== 'plan')) {
    return { code: 2, stdout: '', stderr: `${USAGE}\n` };
  }
  const unknown = rest.filter((a) => a !== '--json' || command !== 'plan');
  if (unknown.length > 0) return { code: 2, stdout: '', stderr: `unknown argument ${unknown[0]}\n${USAGE}\n` };
  const text = read(file);
  return command === 'check' ? check(file, text, registry) : plan(file, text, registry, rest.includes('--json'));
}
