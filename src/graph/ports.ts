/**
 * Port kinds: what flows along an edge. Each output port produces exactly one kind; an input port
 * accepts one or more kinds. Shapes are per sample (no batch dimension) and fully known.
 */
export const PORT_KINDS = ['tensor', 'dataset', 'environment', 'loss', 'model', 'agent', 'metrics'] as const;
export type PortKind = (typeof PORT_KINDS)[number];

/** A per-sample tensor shape, batch dimension excluded, e.g. `[32, 32, 3]`. */
export type Shape = readonly number[];

/** What an output port carries once inferred: the kind plus what downstream nodes need to know. */
export type PortValue =
  | { kind: 'tensor'; shape: Shape }
  | { kind: 'dataset'; sampleShape: Shape; numClasses: number; name: string; /** Set to train without labels: nothing may read them. */ unlabeled?: boolean }
  | { kind: 'environment'; observationShape: Shape; numActions: number; name: string }
  | { kind: 'loss'; lossType: string }
  | { kind: 'model' }
  | { kind: 'agent'; numActions: number }
  | { kind: 'metrics' };

export interface InputPortSpec {
  name: string;
  label: string;
  accepts: readonly PortKind[];
  /** Optional inputs may stay unconnected without an error. */
  optional?: boolean;
}

export interface OutputPortSpec {
  name: string;
  label: string;
  kind: PortKind;
}

/** Human words for a kind, used in messages and legends. */
export const PORT_KIND_LABEL: Record<PortKind, string> = {
  tensor: 'tensor',
  dataset: 'dataset',
  environment: 'environment',
  loss: 'loss',
  model: 'trained model',
  agent: 'agent',
  metrics: 'metrics',
};

export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function shapeSize(shape: Shape): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** A short description of a value for an edge label: the tensor shape, or the kind. */
export function describeValue(value: PortValue): string {
  switch (value.kind) {
    case 'tensor':
      return formatShape(value.shape);
    case 'dataset':
      return `${value.name} ${formatShape(value.sampleShape)}`;
    case 'environment':
      return `obs ${formatShape(value.observationShape)}`;
    default:
      return PORT_KIND_LABEL[value.kind];
  }
}
