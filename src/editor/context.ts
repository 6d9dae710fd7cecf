/** React access to the editor store: one store per canvas, read through narrow selectors. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { EditorState, EditorStore } from './store';

export const EditorContext = createContext<EditorStore | null>(null);

export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditorStore outside <EditorContext.Provider>');
  return store;
}

/**
 * Subscribes to one slice of the state. The selector must return a stored value (or a primitive),
 * not a fresh object, or the component re-renders on every change.
 */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  const store = useEditorStore();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}
