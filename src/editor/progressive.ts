/**
 * Large graphs mount in slices. React Flow renders, then measures, every card it is given in one
 * commit: 10,000 cards blocked the main thread for 5–7 s in Chromium. Handing it the first
 * `SLICE` nodes of a newly loaded document and `SLICE` more per task keeps each task short while
 * the rest of the graph appears; edges follow with the last slice.
 */
import { useEffect, useMemo, useState } from 'react';
import type { FlowEdge, FlowNode } from './flow';

const NO_EDGES: FlowEdge[] = [];

/** Cards mounted per task: ~0.5 ms each to render, add to the page and measure, plus React Flow's pass over every node it holds. */
export const SLICE = 100;
/** The first slice shares its task with loading the document (validation, views): keep it small. */
const FIRST_SLICE = 25;

/** The nodes and edges to give React Flow now (all of them once the slices have caught up), and whether slices remain. */
export function useMountInSlices(nodes: FlowNode[], edges: FlowEdge[], loads: number): { nodes: FlowNode[]; edges: FlowEdge[]; mounting: boolean } {
  // The count restarts with each loaded document (derived in render, so a new document never
  // mounts whole for one commit before an effect could cut it back).
  const [progress, setProgress] = useState({ loads, count: FIRST_SLICE });
  const count = progress.loads === loads ? progress.count : FIRST_SLICE;
  if (progress.loads !== loads) setProgress({ loads, count: FIRST_SLICE });
  const done = count >= nodes.length;

  useEffect(() => {
    if (done) return;
    // A macrotask, so the browser paints and handles input between slices.
    const timer = setTimeout(() => setProgress((p) => (p.loads === loads ? { loads, count: p.count + SLICE } : p)), 0);
    return () => clearTimeout(timer);
  }, [done, count, loads]);

  return useMemo(() => {
    // Edges wait for the last slice: React Flow rebuilds its lookup of every edge on each change.
    return done ? { nodes, edges, mounting: false } : { nodes: nodes.slice(0, count), edges: NO_EDGES, mounting: true };
  }, [done, nodes, edges, count]);
}
