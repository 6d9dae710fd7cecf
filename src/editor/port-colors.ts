/** How port kinds look on the canvas: a UI choice, so it lives with the editor, not in src/graph. */
import type { PortKind } from '../graph';

/** Colours per port kind, shared by handles, edges and the legend. */
export const PORT_KIND_COLOR: Record<PortKind, string> = {
  tensor: '#4f8cff',
  dataset: '#22a06b',
  environment: '#e5a50a',
  loss: '#e5484d',
  model: '#8e4ec6',
  agent: '#f76808',
  metrics: '#6e7781',
};
