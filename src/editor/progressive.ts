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
/** Minimap rectangles drawn per task once the cards are in: ~20 µs each to create. */
export const MINIMAP_SLICE = 1000;

/** What the canvas shows of the document now, while a large one mounts. */
export interface Mounting {
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Until the last step below has run. */
  mounting: boolean;
  /**
   * How many of `nodes`, in order, the minimap draws: it draws every node it is given, so it
   * waits for the cards and then fills in `MINIMAP_SLICE` per task (10,000 at once took ~0.2 s).
   */
  minimapNodes: number;
}

/**
 * The nodes and edges to give React Flow now. A large document mounts in steps, each in a task
 * of its own: its cards `SLICE` at a time, then every edge (React Flow rebuilds its lookup of all
 * edges on each change), then the minimap (drawn on every slice, it made each step's task grow
 * with the cards mounted so far) in slices of its own. A document of `FIRST_SLICE` nodes or
 * fewer shows at once; once shown whole, a document stays whole as it grows.
 */
export function useMountInSlices(nodes: FlowNode[], edges: FlowEdge[], loads: number): Mounting {
  // Restarts with each loaded document (derived in render, so a new document never mounts whole
  // for one commit before an effect could cut it back). `after` counts the steps past the cards.
  const [progress, setProgress] = useState({ loads, count: FIRST_SLICE, after: 0 });
  const current = progress.loads === loads ? progress : { loads, count: FIRST_SLICE, after: 0 };
  if (progress.loads !== loads) setProgress(current);
  const small = nodes.length <= FIRST_SLICE;
  // after: 1 shows the edges; each step past it draws MINIMAP_SLICE more of the minimap.
  const minimapNodes = small ? Infinity : Math.max(0, current.after - 1) * MINIMAP_SLICE;
  const done = small || (current.after >= 1 && minimapNodes >= nodes.length);
  const cardsDone = current.count >= nodes.length;

  useEffect(() => {
    if (done) {
      // Shown whole once: later growth (a node added, a paste) does not start slicing again.
      if (current.after !== Infinity) setProgress((p) => (p.loads === loads ? { ...p, count: Infinity, after: Infinity } : p));
      return;
    }
    // A macrotask, so the browser paints and handles input between steps.
    const timer = setTimeout(
      () => setProgress((p) => (p.loads !== loads ? p : p.count >= nodes.length ? { ...p, after: p.after + 1 } : { ...p, count: p.count + SLICE })),
      0,
    );
    return () => clearTimeout(timer);
  }, [done, current.count, current.after, loads, nodes.length]);

  return useMemo(() => {
    if (done) return { nodes, edges, mounting: false, minimapNodes: Infinity };
    if (cardsDone) return { nodes, edges: current.after >= 1 ? edges : NO_EDGES, mounting: true, minimapNodes };
    return { nodes: nodes.slice(0, current.count), edges: NO_EDGES, mounting: true, minimapNodes: 0 };
  }, [done, cardsDone, nodes, edges, current.count, minimapNodes]);
}
