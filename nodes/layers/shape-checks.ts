/**
 * Checks shared by layer nodes. They run before lowering so that a wrong input gets a diagnostic
 * on the right port, with words a user can act on, instead of the op's generic message.
 */
import type { NodeIssue } from '../../src/graph/diagnostics';
import { formatShape, type Shape } from '../../src/graph/ports';

/** An error unless `shape` is an image feature map `[height,width,channels]`. */
export function requireImage(what: string, shape: Shape | undefined, port = 'in'): NodeIssue[] {
  if (!shape || shape.length === 3) return [];
  return [
    {
      severity: 'error',
      code: 'rank-mismatch',
      port,
      message: `${what} needs a 3-D input [height,width,channels], got ${formatShape(shape)}`,
    },
  ];
}

/** The connected tensor inputs among `ports`, in port order, with their port names. */
export function connectedShapes(
  ports: readonly string[],
  inputs: Readonly<Record<string, Shape>>,
): { port: string; shape: Shape }[] {
  return ports.flatMap((port) => {
    const shape = inputs[port];
    return shape ? [{ port, shape }] : [];
  });
}

/** "[a] and [b] and [c]": every shape, so the message alone tells what disagrees. */
export function listShapes(shapes: readonly Shape[]): string {
  return shapes.map(formatShape).join(' and ');
}

/** The input ports of a merge node: two required, two optional. */
export const MERGE_INPUTS = [
  { name: 'a', label: 'a', accepts: ['tensor'] },
  { name: 'b', label: 'b', accepts: ['tensor'] },
  { name: 'c', label: 'c', accepts: ['tensor'], optional: true },
  { name: 'd', label: 'd', accepts: ['tensor'], optional: true },
] as const;

export const MERGE_PORTS = MERGE_INPUTS.map((p) => p.name);
