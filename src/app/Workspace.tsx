/**
 * The editing workspace: top bar, palette, canvas with the run panel below, inspector and summary
 * on the right. With an `openProject` it edits a stored project (autosave, projects, import); without
 * one (the benchmark graph) it edits in memory only.
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { memo, useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { presetById } from '../../presets';
import type { ParseProblem } from '../graph';
import { Canvas } from '../editor/Canvas';
import { fitDocument } from '../editor/fit';
import { useEditorStore } from '../editor/context';
import { Inspector } from '../editor/Inspector';
import { layoutPositions } from '../editor/layout';
import { Palette } from '../editor/Palette';
import { SummaryPanel, useCompileResult } from '../editor/SummaryPanel';
import { useEditorShortcuts } from '../editor/useEditorShortcuts';
import { downloadDocument, importDocumentFile } from '../share';
import { downloadPyTorchProject } from '../export/pytorch/download';
import { ConflictBanner } from './ConflictBanner';
import { ProblemsDialog } from './ProblemsDialog';
import type { OpenProject, OpenProjectState } from './open-project';
import { ProjectsDialog } from './ProjectsDialog';
import { RunPanel } from '../run/ui/RunPanel';
import { RunsDialog } from '../compare/ui/RunsDialog';
import { admitDocument } from '../graph';
import { transferInspector } from '../run/ui/TransferPicker';
import { ShareDialog } from './ShareDialog';
import { ShortcutsHelp } from './ShortcutsHelp';
import { ToastList, useToasts } from './toasts';
import { TopBar } from './TopBar';

/** Inspector sections the editor cannot make itself: the Optimizer's runs picker reads the runs database. */
const INSPECTOR_EXTRAS = { Optimizer: transferInspector };

type Dialog = { kind: 'help' } | { kind: 'share' } | { kind: 'projects' } | { kind: 'runs' } | { kind: 'problems'; title: string; problems: ParseProblem[] } | null;

const NO_PROJECT: OpenProjectState = { projectId: null, saveState: 'saved', conflict: null, error: null, notice: null };
const noSubscribe = () => () => {};

function useOpenProjectState(openProject: OpenProject | null): OpenProjectState {
  return useSyncExternalStore(openProject?.subscribe ?? noSubscribe, openProject?.getState ?? (() => NO_PROJECT));
}

export function Workspace({ openProject }: { openProject: OpenProject | null }) {
  const store = useEditorStore();
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  const state = useOpenProjectState(openProject);
  const { toasts, notify, dismiss } = useToasts();
  const [dialog, setDialog] = useState<Dialog>(null);

  useEffect(() => {
    if (state.notice) {
      notify(state.notice);
      openProject?.clearNotice();
    }
  }, [state.notice, notify, openProject]);

  const layout = useCallback(async () => {
    const { doc: current, measured } = store.getState();
    const { width, height } = flowStore.getState();
    const positions = await layoutPositions(current, measured, width > 0 && height > 0 ? width / height : undefined);
    store.apply({ kind: 'move', positions }, 'Auto-layout');
    fitDocument(store, flow, flowStore.getState(), 250);
  }, [store, flow, flowStore]);

  const importFile = useCallback(
    async (file: File) => {
      if (!openProject) return;
      const result = await importDocumentFile(file, store.registry);
      if (!result.ok) {
        setDialog({ kind: 'problems', title: `Cannot import “${file.name}”`, problems: result.problems });
        return;
      }
      const project = await openProject.createAndOpen(result.doc);
      notify(`Imported “${project.name}” as a new project`);
      for (const w of result.warnings ?? []) notify(w.message);
    },
    [openProject, store, notify],
  );

  const newFromPreset = useCallback(
    async (presetId: string) => {
      const preset = presetById(presetId);
      if (!preset || !openProject) return;
      await openProject.createAndOpen(preset.doc);
      setDialog(null);
    },
    [openProject],
  );

  const openHelp = useCallback(() => setDialog({ kind: 'help' }), []);
  const runLayout = useCallback(() => void layout(), [layout]);
  useEditorShortcuts({ onHelp: openHelp, onLayout: runLayout, notify, enabled: dialog === null });

  return (
    <div className="app">
      <TopBarFor
        openProject={openProject}
        state={state}
        onProjects={() => setDialog({ kind: 'projects' })}
        onRuns={() => setDialog({ kind: 'runs' })}
        onNewFromPreset={(id) => void newFromPreset(id)}
        onLayout={runLayout}
        onImport={(f) => void importFile(f)}
        onShare={() => setDialog({ kind: 'share' })}
        onHelp={openHelp}
        notify={notify}
      />
      {state.conflict && openProject && <ConflictBanner conflict={state.conflict} resolve={(c) => void openProject.resolve(c)} />}
      {state.error && (
        <div className="banner banner-error" role="alert">
          Saving failed: {state.error}
        </div>
      )}
      <div className="workspace">
        <Palette />
        <main className="main-area">
          <Canvas notify={notify} {...(openProject ? { onDropFile: (f: File) => void importFile(f) } : {})} />
          <RunPanelArea projectId={state.projectId} />
        </main>
        <aside className="side">
          <Inspector extras={INSPECTOR_EXTRAS} />
          <SummaryPanel />
        </aside>
      </div>
      {dialog?.kind === 'help' && <ShortcutsHelp onClose={() => setDialog(null)} />}
      {dialog?.kind === 'share' && <ShareDialog doc={store.getState().doc} registry={store.registry} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'problems' && <ProblemsDialog title={dialog.title} problems={dialog.problems} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'projects' && openProject && (
        <ProjectsDialogFor openProject={openProject} onClose={() => setDialog(null)} newFromPreset={newFromPreset} notify={notify} />
      )}
      {dialog?.kind === 'runs' && (
        <RunsDialog
          projectId={state.projectId}
          onClose={() => setDialog(null)}
          onOpenGraph={async (document, runName) => {
            if (!openProject) return 'Open a project first: the run’s graph opens as a new project beside it.';
            // The stored graph comes in the one way every document does.
            const admitted = admitDocument(document, store.registry);
            if (!admitted.ok) return `The graph of “${runName}” cannot be opened: ${admitted.problems[0]?.message ?? 'it is damaged'}`;
            const project = await openProject.createAndOpen(admitted.doc, `${runName} (from run)`);
            notify(`Opened the graph of “${runName}” as the new project “${project.name}”`);
            return null;
          }}
        />
      )}
      <ToastList toasts={toasts} dismiss={dismiss} />
    </div>
  );
}

/**
 * The run panel sees the store's compile result, which changes with the structure (or the name),
 * never with a drag: moving nodes must not re-render training UI on every frame.
 */
const RunPanelArea = memo(function RunPanelArea({ projectId }: { projectId: string | null }) {
  const result = useCompileResult();
  const store = useEditorStore();
  const graphOf = useCallback(() => ({ document: store.getState().doc, projectId }), [store, projectId]);
  return <RunPanel result={result} graphOf={graphOf} />;
});

function TopBarFor(props: {
  openProject: OpenProject | null;
  state: OpenProjectState;
  onProjects(): void;
  onRuns(): void;
  onNewFromPreset(id: string): void;
  onLayout(): void;
  onImport(file: File): void;
  onShare(): void;
  onHelp(): void;
  notify(message: string, tone?: 'info' | 'error'): void;
}) {
  const store = useEditorStore();
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  const { openProject } = props;
  return (
    <TopBar
      saveState={openProject ? props.state.saveState : null}
      {...(openProject ? { onProjects: props.onProjects, onNewFromPreset: props.onNewFromPreset, onImport: props.onImport } : {})}
      onRuns={props.onRuns}
      onLayout={props.onLayout}
      onFitView={() => fitDocument(store, flow, flowStore.getState(), 200)}
      onExport={() => downloadDocument(store.getState().doc)}
      onExportPyTorch={() => {
        const result = store.getState().compiled;
        const out = result.ok ? downloadPyTorchProject(result.plan) : undefined;
        if (!result.ok) {
          const errors = result.diagnostics.filter((d) => d.severity === 'error');
          props.notify(`Nothing exported: the graph does not compile (${errors.length} error${errors.length === 1 ? '' : 's'}; first: ${errors[0]?.message ?? 'unknown'})`, 'error');
        } else if (out && !out.ok) props.notify(`Nothing exported: ${out.message}`, 'error');
      }}
      onShare={props.onShare}
      onHelp={props.onHelp}
    />
  );
}

function ProjectsDialogFor({
  openProject,
  onClose,
  newFromPreset,
  notify,
}: {
  openProject: OpenProject;
  onClose(): void;
  newFromPreset(id: string): Promise<void>;
  notify(message: string, tone?: 'info' | 'error'): void;
}) {
  const { repo, store } = openProject;
  const list = useCallback(() => repo.list(), [repo]);
  const current = openProject.getState().projectId;
  return (
    <ProjectsDialog
      currentId={current}
      list={list}
      open={async (id) => {
        const result = await openProject.open(id);
        if (!result.ok) notify(`Cannot open the project: ${result.message}`, 'error');
        else onClose();
      }}
      createFromPreset={newFromPreset}
      rename={async (id, name) => {
        if (id !== openProject.getState().projectId) {
          await repo.rename(id, name);
          return;
        }
        store.apply({ kind: 'rename', name }, 'Rename project');
        await openProject.flush();
      }}
      duplicate={async (id) => {
        if (id === openProject.getState().projectId) await openProject.flush();
        await repo.duplicate(id);
      }}
      remove={async (id) => {
        const wasOpen = id === openProject.getState().projectId;
        await openProject.remove(id);
        if (!wasOpen) return;
        const next = (await repo.list()).find((p) => !p.problem);
        if (next) await openProject.open(next.id);
        else await newFromPreset('blank');
      }}
      onClose={onClose}
    />
  );
}

