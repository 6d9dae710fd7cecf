/**
 * The node library: every node type, listed once. The document's node types, the palette and
 * React Flow's `nodeTypes` are all derived from this object.
 */
import type { NodeDefinition } from '../src/graph/node-definition';
import { Augmentation } from './data/augmentation';
import { Dataset } from './data/dataset';
import { Evaluator } from './evaluation/evaluator';
import { Conv2D } from './layers/conv2d';
import { Input } from './layers/input';
import { ResidualBlock } from './layers/residual-block';
import { Agent } from './rl/agent';
import { Environment } from './rl/environment';
import { Loss } from './training/loss';
import { Optimizer } from './training/optimizer';

export const registry = {
  Dataset,
  Augmentation,
  Input,
  Conv2D,
  ResidualBlock,
  Loss,
  Optimizer,
  Environment,
  Agent,
  Evaluator,
} satisfies Record<string, NodeDefinition<any>>;

export type NodeType = keyof typeof registry;
