/**
 * Python names for a plan's ops. A module attribute is named exactly as the TF.js model names the
 * layer (`layerName` in the model builder: op id with every character outside [A-Za-z0-9_] turned
 * into `_`), so the weight converters map one to the other by name alone.
 */

/** The TF.js layer name of an op id; the model builder's rule, repeated here as a format contract. */
export function tfjsLayerName(opId: string): string {
  return opId.replace(/[^A-Za-z0-9_]/g, '_');
}

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** Names an attribute or local may not take: nn.Module's own members and the generated file's imports. */
const TAKEN = new Set([
  'self', 'x', 'F', 'nn', 'torch', 'math', 'training', 'forward', 'train', 'eval', 'parameters', 'buffers', 'modules',
  'children', 'state_dict', 'load_state_dict', 'to', 'cpu', 'cuda', 'type', 'float', 'double', 'half', 'apply', 'zero_grad',
  'reset_parameters', 'named_modules', 'named_parameters', 'register_buffer', 'register_parameter', 'add_module', 'requires_grad_',
]);

/** A Python identifier for an op: its TF.js layer name, prefixed with `layer_` only where Python needs it. */
export function pythonName(opId: string): string {
  const name = tfjsLayerName(opId);
  return /^[A-Za-z_]/.test(name) && !PYTHON_KEYWORDS.has(name) && !TAKEN.has(name) ? name : `layer_${name}`;
}

/** A class name from the project name: "ResNet-20 on CIFAR-10" → `ResNet20OnCIFAR10`. */
export function className(projectName: string): string {
  const words = projectName.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? name : `Model${name}`;
}

/** A Python literal for a number, as short as it reads: 0.1, 1e-07, 3. */
export function pyNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} as a Python number`);
  const s = String(Number(n.toPrecision(12)));
  return s.includes('e') ? s.replace(/e\+?/, 'e') : s;
}

/** A Python string literal (JSON's escaping is valid Python). */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

/** `3` for a square pair, `(3, 5)` otherwise. */
export function pyPair([a, b]: readonly [number, number]): string {
  return a === b ? String(a) : `(${a}, ${b})`;
}
