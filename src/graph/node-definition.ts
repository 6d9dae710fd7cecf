/**
 * The contract every node type fulfils. `src/graph` knows only this shape, never a concrete type:
 * the library is passed in as a `NodeRegistry`.
 */
import type { z } from 'zod';
import type { NodeIssue } from './diagnostics';
import type { OpSpec } from './ops';
import type { InputPortSpec, OutputPortSpec, PortKind, PortValue, Shape } from './ports';

export type NodeCategory = 'data' | 'layers' | 'training' | 'rl' | 'evaluation';

/**
 * What the compiler does with a node:
 * - `dataset`, `augmentation`: the supervised data pipeline;
 * - `input`, `layer`: the model, lowered into primitive ops;
 * - `loss`, `optimizer`: supervised training;
 * - `environment`, `agent`: reinforcement learning;
 * - `evaluator`: evaluation of a trained model or agent.
 */
export type NodeRole =
  | 'dataset'
  | 'augmentation'
  | 'input'
  | 'layer'
  | 'loss'
  | 'optimizer'
  | 'environment'
  | 'agent'
  | 'evaluator';

/** Inferred values arriving at a node's input ports; absent when unconnected or upstream failed. */
export type InferInputs = Readonly<Record<string, PortValue | undefined>>;

export interface InferResult {
  /** Inferred output values by port name; leave a port out when it cannot be inferred. */
  outputs: Partial<Record<string, PortValue>>;
  issues?: NodeIssue[];
}

/** Builds ops while a layer node lowers itself; returns each op's id for wiring the next one. */
export interface OpBuilder {
  /** Adds an op fed by `inputs` (op ids or the node's input refs) and returns its id. */
  add(name: string, spec: OpSpec, inputs: readonly string[]): string;
  /** The shape an op id or input ref produces. */
  shapeOf(ref: string): Shape;
}

interface NodeDefinitionBase<P extends z.ZodObject> {
  /** Stable identifier stored in documents, e.g. `Conv2D`. */
  type: string;
  title: string;
  category: NodeCategory;
  description: string;
  params: P;
  inputs: readonly InputPortSpec[];
  outputs: readonly OutputPortSpec[];
  /**
   * Key parameters in a few words, shown on the node, e.g. `3×3, 16, stride 1`. `connected` has an
   * entry for each input port with an edge, mapped to the kind of value arriving there (undefined
   * while it cannot be inferred), for nodes whose params matter only while a port is free or only
   * for one kind of source.
   */
  summary(params: z.infer<P>, connected: ReadonlyMap<string, PortKind | undefined>): string;
  /**
   * Whether the inspector shows the param `key` given the node's (possibly unparsed) params, for
   * settings that matter only to one choice of another (the Agent's per-algorithm settings).
   * Hidden params keep their values. Absent: every param is shown.
   */
  paramShown?(key: string, params: Readonly<Record<string, unknown>>): boolean;
}

/** A node that is not part of the model: it infers its outputs directly. */
export interface ValueNodeDefinition<P extends z.ZodObject = z.ZodObject> extends NodeDefinitionBase<P> {
  role: Exclude<NodeRole, 'layer'>;
  infer(params: z.infer<P>, inputs: InferInputs): InferResult;
}

/**
 * A model layer: it lowers into primitive ops, from which the validator derives its output shape,
 * parameter count and FLOPs. `check` adds friendlier diagnostics before lowering (it runs only when
 * every required tensor input is known).
 */
export interface LayerNodeDefinition<P extends z.ZodObject = z.ZodObject> extends NodeDefinitionBase<P> {
  role: 'layer';
  check?(params: z.infer<P>, inputs: Readonly<Record<string, Shape>>): NodeIssue[];
  /**
   * Emits ops. `inputs` maps each connected input port name to a ref usable in `b.add`.
   * Returns the ref of each output port.
   */
  lower(params: z.infer<P>, inputs: Readonly<Record<string, string>>, b: OpBuilder): Record<string, string>;
}

export type NodeDefinition<P extends z.ZodObject = z.ZodObject> = ValueNodeDefinition<P> | LayerNodeDefinition<P>;

/** The node library a document is checked against. */
export type NodeRegistry = Readonly<Record<string, NodeDefinition<any>>>;

/** Keeps the params type of a definition while checking it against the contract. */
export function defineNode<P extends z.ZodObject>(def: ValueNodeDefinition<P>): ValueNodeDefinition<P>;
export function defineNode<P extends z.ZodObject>(def: LayerNodeDefinition<P>): LayerNodeDefinition<P>;
export function defineNode<P extends z.ZodObject>(def: NodeDefinition<P>): NodeDefinition<P> {
  return def;
}

/** Looks a type up by own key only, so a type named "toString" or "__proto__" is simply unknown. */
export function definitionOf(registry: NodeRegistry, type: string): NodeDefinition<any> | undefined {
  return Object.hasOwn(registry, type) ? registry[type] : undefined;
}
