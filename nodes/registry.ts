/**
 * The node library: every node type, listed once. The document's node types, the palette and
 * React Flow's `nodeTypes` are all derived from this object; its order is the palette's order.
 */
import type { NodeDefinition } from '../src/graph/node-definition';
import { Augmentation } from './data/augmentation';
import { Dataset } from './data/dataset';
import { Evaluator } from './evaluation/evaluator';
import { Activation } from './layers/activation';
import { Add } from './layers/add';
import { AvgPool } from './layers/avg-pool';
import { BatchNorm } from './layers/batch-norm';
import { Concat } from './layers/concat';
import { Conv2D } from './layers/conv2d';
import { Conv2DTranspose } from './layers/conv2d-transpose';
import { Dense } from './layers/dense';
import { Dropout } from './layers/dropout';
import { Flatten } from './layers/flatten';
import { GlobalAvgPool } from './layers/global-avg-pool';
import { Input } from './layers/input';
import { MaxPool } from './layers/max-pool';
import { ResidualBlock } from './layers/residual-block';
import { Upsample } from './layers/upsample';
import { Agent } from './rl/agent';
import { Environment } from './rl/environment';
import { Loss } from './training/loss';
import { Optimizer } from './training/optimizer';

export const registry = {
  Dataset,
  Augmentation,
  Input,
  Conv2D,
  Conv2DTranspose,
  Dense,
  BatchNorm,
  Activation,
  MaxPool,
  AvgPool,
  GlobalAvgPool,
  Upsample,
  Flatten,
  Dropout,
  Add,
  Concat,
  ResidualBlock,
  Loss,
  Optimizer,
  Environment,
  Agent,
  Evaluator,
} satisfies Record<string, NodeDefinition<any>>;

