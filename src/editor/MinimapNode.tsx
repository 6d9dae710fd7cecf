/**
 * The minimap's node rectangle, drawn only for the last `limit` nodes of the canvas while a
 * large document is still filling the minimap in (`useMountInSlices`): creating 10,000 SVG
 * rectangles in one task held the page for ~0.2 s.
 */
import type { MiniMapNodeProps } from '@xyflow/react';
import { createContext, memo, useContext } from 'react';

/** How many nodes the minimap draws now (the last `limit`): all of them when `order` is absent. */
export interface MinimapLimit {
  limit: number;
  /** Each node's place on the canvas, consulted only while `limit` is finite. */
  order?: ReadonlyMap<string, number>;
}

export const MinimapLimitContext = createContext<MinimapLimit>({ limit: Infinity });

function MinimapNodeView({ id, x, y, width, height, color, strokeColor, strokeWidth, borderRadius, className, shapeRendering, selected }: MiniMapNodeProps) {
  const { limit, order } = useContext(MinimapLimitContext);
  // Filled in from the end: a rectangle then goes in just before one already drawn, where React
  // finds its place at once (from the start, each new one searched past every node not yet drawn).
  if (order && (order.get(id) ?? -1) < order.size - limit) return null;
  return (
    <rect
      className={`react-flow__minimap-node${selected ? ' selected' : ''} ${className}`}
      x={x}
      y={y}
      rx={borderRadius}
      ry={borderRadius}
      width={width}
      height={height}
      style={{ fill: color, stroke: strokeColor, strokeWidth }}
      shapeRendering={shapeRendering}
    />
  );
}

export const MinimapNode = memo(MinimapNodeView);
