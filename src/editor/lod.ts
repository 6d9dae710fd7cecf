/**
 * Level of detail shared by the canvas and its node cards. At the farthest level (a whole large
 * graph in view) cards drop their handles once React Flow has measured them: each handle is a
 * React Flow store subscriber, a thousand-node graph has thousands, and all of them re-run on
 * every frame of a drag. The measured handle positions stay in React Flow's node internals, so
 * edges (the canvas ones at this level, the SVG ones when zoomed in again) still find them.
 */
import { createContext } from 'react';

/** True while the canvas is at its farthest level of detail. */
export const MinimalDetail = createContext(false);
