/** The editor's keyboard shortcuts, as data: the key handler and the help dialog both read it. */

export type ShortcutAction =
  | 'undo'
  | 'redo'
  | 'delete'
  | 'duplicate'
  | 'selectAll'
  | 'deselect'
  | 'layout'
  | 'fitView'
  | 'help';

export interface Shortcut {
  action: ShortcutAction;
  keys: readonly string[];
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'undo', keys: ['Ctrl/⌘ Z'], description: 'Undo' },
  { action: 'redo', keys: ['Ctrl/⌘ Shift Z', 'Ctrl Y'], description: 'Redo' },
  { action: 'delete', keys: ['Delete', 'Backspace'], description: 'Delete the selection' },
  { action: 'duplicate', keys: ['Ctrl/⌘ D'], description: 'Duplicate the selection' },
  { action: 'selectAll', keys: ['Ctrl/⌘ A'], description: 'Select all nodes' },
  { action: 'deselect', keys: ['Esc'], description: 'Clear the selection' },
  { action: 'layout', keys: ['Shift L'], description: 'Auto-layout' },
  { action: 'fitView', keys: ['F'], description: 'Fit the graph in view' },
  { action: 'help', keys: ['?'], description: 'Show these shortcuts' },
];

/** Copy/paste use the browser's own events, so they also work between tabs. */
export const CLIPBOARD_SHORTCUTS: readonly { keys: string; description: string }[] = [
  { keys: 'Ctrl/⌘ C', description: 'Copy the selection as JSON' },
  { keys: 'Ctrl/⌘ X', description: 'Cut the selection' },
  { keys: 'Ctrl/⌘ V', description: 'Paste nodes (from this or another tab)' },
  { keys: 'Shift + drag', description: 'Select with a box' },
  { keys: 'Ctrl/⌘/Shift + click', description: 'Add to the selection' },
];

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The action a key press asks for, if any. */
export function actionFor(e: KeyLike): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return null;
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
  if (mod && key === 'd') return 'duplicate';
  if (mod && key === 'a') return 'selectAll';
  if (mod) return null;
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  if (key === 'Escape') return 'deselect';
  if (key === '?') return 'help';
  if (key === 'l' && e.shiftKey) return 'layout';
  if (key === 'f' && !e.shiftKey) return 'fitView';
  return null;
}
