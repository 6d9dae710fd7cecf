/** The top bar: project name and save state, projects, history, layout, files and sharing. */
import { useRef } from 'react';
import { presets } from '../../presets';
import { useEditor, useEditorStore } from '../editor/context';
import type { SaveState } from './open-project';

export interface TopBarProps {
  saveState: SaveState | null;
  onProjects?(): void;
  /** The runs table and the comparison of runs. */
  onRuns?(): void;
  onNewFromPreset?(presetId: string): void;
  onLayout(): void;
  onFitView(): void;
  onImport?(file: File): void;
  onExport(): void;
  /** The graph as a runnable PyTorch project (.zip). */
  onExportPyTorch?(): void;
  onShare(): void;
  onHelp(): void;
}

const SAVE_LABEL: Record<SaveState, string> = {
  saved: 'Saved',
  unsaved: 'Unsaved…',
  saving: 'Saving…',
  conflict: 'Not saved',
  error: 'Save failed',
};

export function TopBar(props: TopBarProps) {
  const store = useEditorStore();
  const name = useEditor((s) => s.doc.name);
  const readOnly = useEditor((s) => s.readOnly);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const fileInput = useRef<HTMLInputElement>(null);

  return (
    <header className="topbar">
      <span className="brand">
        <img src="/favicon.svg" alt="" />
        Tensorloom
      </span>
      <input
        key={name}
        className="project-name"
        aria-label="Project name"
        data-testid="project-name"
        defaultValue={name}
        maxLength={200}
        readOnly={readOnly}
        onBlur={(e) => {
          const next = e.target.value.trim();
          if (next && next !== name) store.apply({ kind: 'rename', name: next }, 'Rename project');
          else e.target.value = name;
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
        }}
      />
      {props.saveState && (
        <span className={`save-state${props.saveState === 'error' || props.saveState === 'conflict' ? ' error' : ''}`} data-testid="save-state">
          {SAVE_LABEL[props.saveState]}
        </span>
      )}
      {props.onProjects && (
        <button type="button" className="btn" onClick={props.onProjects} data-testid="open-projects">
          Projects
        </button>
      )}
      {props.onRuns && (
        <button type="button" className="btn" onClick={props.onRuns} data-testid="open-runs">
          Runs
        </button>
      )}
      {props.onNewFromPreset && (
        <select
          aria-label="New project from preset"
          data-testid="preset-picker"
          value=""
          onChange={(e) => e.target.value && props.onNewFromPreset!(e.target.value)}
        >
          <option value="">New from preset…</option>
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      )}
      <span className="divider" />
      <button type="button" className="btn ghost" onClick={() => store.undo()} disabled={!canUndo || readOnly} title="Undo (Ctrl/⌘ Z)" data-testid="undo">
        ↶ Undo
      </button>
      <button type="button" className="btn ghost" onClick={() => store.redo()} disabled={!canRedo || readOnly} title="Redo (Ctrl/⌘ Shift Z)" data-testid="redo">
        ↷ Redo
      </button>
      <button type="button" className="btn ghost" onClick={props.onLayout} disabled={readOnly} title="Auto-layout (Shift L)" data-testid="auto-layout">
        Auto-layout
      </button>
      <button type="button" className="btn ghost" onClick={props.onFitView} title="Fit view (F)">
        Fit
      </button>
      <span className="spacer" />
      {props.onImport && (
        <>
          <button type="button" className="btn" onClick={() => fileInput.current?.click()} data-testid="import">
            Import
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="import-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) props.onImport!(file);
            }}
          />
        </>
      )}
      <button type="button" className="btn" onClick={props.onExport} data-testid="export">
        Export
      </button>
      {props.onExportPyTorch && (
        <button type="button" className="btn" onClick={props.onExportPyTorch} data-testid="export-pytorch" title="Download this graph as a PyTorch project (.zip): model, data, training script for torchrun, README">
          ⤓ PyTorch
        </button>
      )}
      <button type="button" className="btn primary" onClick={props.onShare} data-testid="share">
        Share
      </button>
      <button type="button" className="btn ghost" onClick={props.onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" data-testid="help">
        ?
      </button>
    </header>
  );
}
