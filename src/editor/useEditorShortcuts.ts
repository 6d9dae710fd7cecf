/**
 * Document-level keyboard shortcuts and clipboard events for the editor. Keys typed into form
 * fields are left alone; copy/paste go through the browser's clipboard events, which need no
 * permission and carry text between tabs.
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useEffect } from 'react';
import { deleteSelection, duplicateSelection, insertCopies, selectedSubgraph } from './actions';
import { clipboardText, parseClipboard } from './clipboard';
import { useEditorStore } from './context';
import { fitDocument } from './fit';
import { actionFor } from './shortcuts';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export interface ShortcutHandlers {
  onHelp(): void;
  onLayout(): void;
  notify(message: string, tone?: 'info' | 'error'): void;
  /** While a dialog is open the canvas keeps its hands off the keyboard. */
  enabled: boolean;
}

export function useEditorShortcuts({ onHelp, onLayout, notify, enabled }: ShortcutHandlers): void {
  const store = useEditorStore();
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const action = actionFor(e);
      if (!action) return;
      e.preventDefault();
      switch (action) {
        case 'undo':
          store.undo();
          break;
        case 'redo':
          store.redo();
          break;
        case 'delete':
          deleteSelection(store);
          break;
        case 'duplicate':
          duplicateSelection(store);
          break;
        case 'selectAll':
          store.select(store.getState().doc.nodes.map((n) => n.id));
          break;
        case 'deselect':
          store.select([]);
          break;
        case 'help':
          onHelp();
          break;
        case 'layout':
          onLayout();
          break;
        case 'fitView':
          fitDocument(store, flow, flowStore.getState(), 200);
          break;
      }
    };
    const onCopy = (e: ClipboardEvent, cut: boolean) => {
      if (isTyping(e.target) || !e.clipboardData) return;
      const { nodes, edges } = selectedSubgraph(store);
      if (nodes.length === 0) return;
      e.preventDefault();
      e.clipboardData.setData('text/plain', clipboardText(nodes, edges));
      if (cut) deleteSelection(store);
      notify(`${cut ? 'Cut' : 'Copied'} ${nodes.length} node${nodes.length === 1 ? '' : 's'}`);
    };
    const onPaste = (e: ClipboardEvent) => {
      if (isTyping(e.target) || !e.clipboardData || store.getState().readOnly) return;
      const text = e.clipboardData.getData('text/plain');
      if (!text) return;
      e.preventDefault();
      const parsed = parseClipboard(text, store.registry);
      if (!parsed.ok) {
        notify(`Nothing pasted: ${parsed.reason}`, 'error');
        return;
      }
      insertCopies(store, parsed.nodes, parsed.edges, { x: 40, y: 40 }, `Paste ${parsed.nodes.length} node${parsed.nodes.length === 1 ? '' : 's'}`);
    };
    const copy = (e: ClipboardEvent) => onCopy(e, false);
    const cut = (e: ClipboardEvent) => onCopy(e, true);
    document.addEventListener('keydown', onKey);
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', onPaste);
    };
  }, [store, flow, flowStore, onHelp, onLayout, notify, enabled]);
}
