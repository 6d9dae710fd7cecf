/**
 * The inspector: the selected node's name and a form generated from its params schema, plus any
 * section the app adds for a node type (the editor knows nothing of runs; the app hands in the
 * Optimizer's "initialise from run" picker).
 */
import { useMemo, type ReactNode } from 'react';
import type { CompileResult } from '../graph';
import { setParams } from './actions';
import { useEditor, useEditorStore } from './context';
import { fieldsOf } from './param-fields';
import { ParamField } from './ParamField';
import type { EditorState } from './store';

/** A node's params object; the same object until they are edited. */
function paramsOf(state: EditorState, nodeId: string): Record<string, unknown> | undefined {
  // Linear scan: this runs once per store update for one selected node only.
  return state.doc.nodes.find((n) => n.id === nodeId)?.params;
}

/** What an added section gets: the node, its params, a way to change them, and the graph's compile result. */
export interface InspectorExtraProps {
  nodeId: string;
  params: Record<string, unknown>;
  readOnly: boolean;
  /** Merges `patch` into the node's params as one undoable edit named `label`. */
  setParams(patch: Record<string, unknown>, label: string): void;
  compiled: CompileResult;
}

/** A section the app adds to one node type's inspector. */
export interface InspectorExtra {
  /** Params the section edits itself: their plain fields are not shown. */
  replaces: readonly string[];
  render(props: InspectorExtraProps): ReactNode;
}

export function Inspector({ extras = {} }: { extras?: Readonly<Record<string, InspectorExtra>> }) {
  const store = useEditorStore();
  const selected = useEditor((s) => s.selectedNodes);
  const readOnly = useEditor((s) => s.readOnly);
  const onlyId = selected.size === 1 ? [...selected][0]! : null;
  // The view changes with type, label and analysis, not with position: dragging the selected node
  // does not re-render the form. Params are read through the view's node id when needed.
  const view = useEditor((s) => (onlyId ? s.views[onlyId] : undefined));
  const params = useEditor((s) => (onlyId ? paramsOf(s, onlyId) : undefined));
  const node = view && params ? { id: view.id, type: view.type, label: view.label, params } : undefined;
  const def = node && Object.hasOwn(store.registry, node.type) ? store.registry[node.type] : undefined;
  const extra = node && Object.hasOwn(extras, node.type) ? extras[node.type] : undefined;
  const fields = useMemo(() => (def ? fieldsOf(def.params).filter((f) => !extra?.replaces.includes(f.key)) : []), [def, extra]);
  const compiled = useEditor((s) => s.compiled);

  if (selected.size > 1) {
    return (
      <section className="panel inspector" data-testid="inspector">
        <h2 className="panel-title">Inspector</h2>
        <p className="muted">{selected.size} nodes selected.</p>
      </section>
    );
  }
  if (!node || !view) {
    return (
      <section className="panel inspector" data-testid="inspector">
        <h2 className="panel-title">Inspector</h2>
        <p className="muted">Select a node to edit its parameters.</p>
      </section>
    );
  }
  return (
    <section className="panel inspector" data-testid="inspector" data-node-id={node.id}>
      <h2 className="panel-title">Inspector</h2>
      <div className="inspector-head">
        <strong>{view.title}</strong>
        <span className="muted mono">{node.id}</span>
      </div>
      {def ? <p className="muted small">{def.description}</p> : <p className="field-error">Unknown node type “{node.type}”: it cannot be edited or trained.</p>}
      <div className="field">
        <label htmlFor={`label-${node.id}`}>Name</label>
        <input
          key={`label-${node.id}-${node.label ?? ''}`}
          id={`label-${node.id}`}
          type="text"
          maxLength={200}
          placeholder={view.title}
          defaultValue={node.label ?? ''}
          readOnly={readOnly}
          onBlur={(e) => store.apply({ kind: 'setLabel', nodeId: node.id, label: e.target.value.trim() || undefined }, 'Rename node')}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur();
          }}
        />
      </div>
      {fields.length === 0 && def && <p className="muted">No parameters.</p>}
      {fields.filter((field) => def?.paramShown?.(field.key, node.params) ?? true).map((field) => {
        const value = node.params[field.key];
        return (
          <ParamField
            // Remount when the stored value changes (undo, another edit) so the draft follows it.
            key={`${node.id}:${field.key}:${JSON.stringify(value)}`}
            field={field}
            value={value}
            readOnly={readOnly}
            issues={view.diagnostics.filter((d) => d.param === field.key).map((d) => d.message)}
            commit={(v) => setParams(store, node.id, { ...node.params, [field.key]: v }, `Set ${field.label.toLowerCase()}`)}
          />
        );
      })}
      {extra?.render({
        nodeId: node.id,
        params: node.params,
        readOnly,
        setParams: (patch, label) => setParams(store, node.id, { ...node.params, ...patch }, label),
        compiled,
      })}
    </section>
  );
}
