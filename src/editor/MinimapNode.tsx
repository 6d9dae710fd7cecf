/**
 * The minimap's node rectangle, drawn only for the first `limit` nodes of the canvas while a
 * large document is still filling the minimap in (`useMountInSlices`): creating 10,000 SVG
 * rectangles in one task held the page for ~0.2 s.
 */
import type { MiniMapNodeProps } from '@xyflow/react';
import { createContext, memo, useContext } from 'react';

/** Which nodes the minimap draws now: all of them when `order` is absent. */
export interface MinimapLimit {
  limit: number;
  /** Each node's place on the canvas, consulted only while `limit` is finite. */
  order?: ReadonlyMap<string, number>;
}

export const MinimapLimitContext = createContext<MinimapLimit>({ limit: Infinity });

function MinimapNodeView({ id, x, y, width, height, color, strokeColor, strokeWidth, borderRadius, className, shapeRendering, selected }: MiniMapNodeProps) {
  const { limit, order } = useContext(MinimapLimitContext);
  if (order && (order.get(id) ?? Infinity) >= limit) return null;
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
