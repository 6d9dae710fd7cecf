/**
 * Where the run panel goes in the workspace: training controls, live charts, the driving view,
 * evaluation and run history (src/run/ui). It receives the document being edited and its
 * compile result; the panel trains the compiled plan, never the document itself.
 */
import type { CompileResult, GraphDocument } from '../graph';
import { RunPanel } from '../run/ui/RunPanel';

export interface RunPanelSlotProps {
  doc: GraphDocument;
  /** `compile(doc, registry)`, recomputed when the graph's structure changes. */
  result: CompileResult;
}

export function RunPanelSlot({ result }: RunPanelSlotProps) {
  return <RunPanel result={result} />;
}
