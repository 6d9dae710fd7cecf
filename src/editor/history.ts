/**
 * Undo/redo as a pure value. Each entry keeps the edit plus the documents on both sides of it:
 * documents are immutable and share structure, so keeping both is cheap and makes undo exact even
 * for edits whose inverse is awkward to state (a removal that also dropped edges).
 */
import type { GraphDocument } from '../graph';
import type { Edit } from './edits';

export interface HistoryEntry {
  edit: Edit;
  /** What the user sees in an undo tooltip, e.g. "Move 3 nodes". */
  label: string;
  before: GraphDocument;
  after: GraphDocument;
}

export interface History {
  past: readonly HistoryEntry[];
  future: readonly HistoryEntry[];
}

/** Steps kept; older ones fall off the bottom. */
export const HISTORY_LIMIT = 200;

export const emptyHistory: History = { past: [], future: [] };

/** Records a change that already happened; clears the redo stack. */
export function record(history: History, entry: HistoryEntry, limit = HISTORY_LIMIT): History {
  if (entry.before === entry.after) return history;
  const past = history.past.length >= limit ? history.past.slice(history.past.length - limit + 1) : history.past;
  return { past: [...past, entry], future: [] };
}

/** Steps back: returns the document to show and the new history, or null when nothing to undo. */
export function undo(history: History): { doc: GraphDocument; history: History; entry: HistoryEntry } | null {
  const entry = history.past[history.past.length - 1];
  if (!entry) return null;
  return { doc: entry.before, entry, history: { past: history.past.slice(0, -1), future: [...history.future, entry] } };
}

/** Steps forward again after an undo. */
export function redo(history: History): { doc: GraphDocument; history: History; entry: HistoryEntry } | null {
  const entry = history.future[history.future.length - 1];
  if (!entry) return null;
  return { doc: entry.after, entry, history: { past: [...history.past, entry], future: history.future.slice(0, -1) } };
}
