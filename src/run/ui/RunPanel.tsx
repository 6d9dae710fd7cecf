/**
 * The run panel under the canvas: controls in a bar, and tabs for the data (supervised CIFAR-10),
 * live metrics (with the driving view for RL), the evaluation, and the run history.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CompileResult, GraphDocument } from '../../graph';
import type { Backend, TrainingPlan } from '../../graph/plan';
import { CIFAR_CLASSES } from '../../data/cifar';
import { datasetSource } from '../dataset-source-client';
import { CIFAR10_DATASET_ID } from '../dataset-source';
import { fileStem } from '../../data/model-files';
import { downloadExportedModel } from '../export-model';
import { downloadPyTorchProject } from '../../export/pytorch/download';
import type { RunRecord } from '../runs-db-record';
import { ClassificationReport } from './ClassificationReport';
import { DataSourcePanel, type CachedDataset } from './DataSourcePanel';
import { DrivingEvaluationView } from './DrivingEvaluationView';
import { earlierAgents } from './earlier-agents';
import { ImportWeights } from './ImportWeights';
import { RlLive, SupervisedLive } from './LiveView';
import { ReconstructionReport } from './ReconstructionGrid';
import { TransferComparison } from './TransferComparison';
import { scratchBaseline } from '../transfer-baseline';
import { describeLink } from '../transfer-link';
import { RunControls, planLine } from './RunControls';
import { RunHistory, canContinue } from './RunHistory';
import { resumeOffer, resumePlan, savedWords } from './resume-offer';
import { isActive, nextBackend, warningOf } from './run-state';
import { probeBackends, runningElsewhere, runsServices, useRunHistory, useSessionFrame } from './use-runs';
import './run-panel.css';

type Tab = 'data' | 'live' | 'evaluation' | 'history';

function needsFiles(plan: TrainingPlan | null): boolean {
  return plan?.mode === 'supervised' && plan.dataset.params.source !== 'synthetic';
}

/** An autoencoder's plan: its Loss compares the output with the input image. */
function reconstructs(plan: TrainingPlan | null): boolean {
  return plan?.mode === 'supervised' && plan.loss.params.target === 'input';
}

function classNames(plan: TrainingPlan | null): readonly string[] {
  if (plan?.mode !== 'supervised') return [];
  if (plan.dataset.value.name === 'CIFAR-10') return CIFAR_CLASSES;
  return Array.from({ length: plan.dataset.value.numClasses }, (_, i) => `class ${i}`);
}

export interface RunPanelProps {
  result: CompileResult;
  /** The graph being compiled and its project, stored with each new run (the runs table compares and reopens them). */
  graphOf?(): { document: GraphDocument; projectId: string | null };
}

export function RunPanel({ result, graphOf }: RunPanelProps) {
  const { repo, session, ready } = runsServices();
  const frame = useSessionFrame(session);
  const view = frame.view;
  const active = isActive(view.phase);
  const livePlan = result.ok ? result.plan : null;
  // While a run (or a shown record) is on screen, its own plan decides the views, not the edited graph.
  const [shownPlan, setShownPlan] = useState<TrainingPlan | null>(null);
  const plan = view.phase !== 'idle' && shownPlan ? shownPlan : livePlan;
  // null: follow the situation (the Data tab while CIFAR-10 is missing), until the user picks a tab.
  const [pickedTab, setTab] = useState<Tab | null>(null);
  const [open, setOpen] = useState(true);
  const [expanded, setExpanded] = useState(false);
  const [backendRequest, setBackendRequest] = useState<'auto' | Backend>('auto');
  const [cached, setCached] = useState<CachedDataset | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const availability = useMemo(probeBackends, []);
  const { entries, reload } = useRunHistory(repo, ready, view.phase, frame.stored);
  const filesNeeded = needsFiles(livePlan);
  // The graph of a run being started, noted on its record once the session has created it.
  const startingGraph = useRef<{ document: GraphDocument; projectId: string | null } | null>(null);
  const runId = session.runId;
  useEffect(() => {
    const graph = startingGraph.current;
    if (!runId || !graph) return;
    startingGraph.current = null;
    void repo.label(runId, { document: graph.document, ...(graph.projectId ? { projectId: graph.projectId } : {}) }).catch((e: unknown) => console.error('run graph not stored', e));
  }, [repo, runId]);

  useEffect(() => {
    if (!filesNeeded) return;
    let live = true;
    void datasetSource()
      .cachedFiles()
      .then((files) => {
        if (live) setCached(files.length > 0 ? { files } : null);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [filesNeeded]);

  // After a reload, the run this tab was training is on screen (with Resume), not "Ready".
  useEffect(() => {
    let live = true;
    void ready
      .then(() => repo.interruptedOfThisTab())
      .then((run) => {
        if (!live || !run || session.getFrame().view.phase !== 'idle') return;
        setShownPlan(run.plan);
        session.show(run);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [repo, ready, session]);

  // A second run of the same project from another tab would train beside it on the same cores.
  const projectId = graphOf?.().projectId ?? null;
  const trainingElsewhere = projectId !== null && entries.some((e) => e.ok && e.run.projectId === projectId && runningElsewhere(e.run, repo.me));
  const blocked = !livePlan
    ? 'Fix the graph’s errors to get a trainable plan'
    : trainingElsewhere
      ? 'This project is training in another tab: watch it under History, or stop it there to run it here'
      : filesNeeded && !cached
        ? 'Load CIFAR-10 in the Data tab first'
        : null;

  const start = useCallback(
    async (request: 'auto' | Backend) => {
      if (!livePlan) return;
      setStartError(null);
      try {
        let data;
        if (needsFiles(livePlan)) {
          const loaded = await datasetSource().fromCache();
          if (!loaded) throw new Error('the cached CIFAR-10 copy is gone; load the files again');
          data = { train: loaded.train, ...(loaded.test ? { test: loaded.test } : {}) };
        }
        setShownPlan(livePlan);
        setTab('live');
        startingGraph.current = graphOf?.() ?? null;
        await session.start({ plan: livePlan, backendRequest: request, ...(data ? { data, datasetId: CIFAR10_DATASET_ID } : {}) });
      } catch (e) {
        setStartError(e instanceof Error ? e.message : String(e));
      }
    },
    [livePlan, session, graphOf],
  );

  const resumeRun = useCallback(
    async (run: RunRecord) => {
      setStartError(null);
      try {
        let data;
        if (needsFiles(run.plan)) {
          const loaded = await datasetSource().fromCache();
          if (!loaded) throw new Error('this run trained on CIFAR-10, which is no longer cached; load the files in the Data tab');
          data = { train: loaded.train, ...(loaded.test ? { test: loaded.test } : {}) };
        }
        // A failed run continues with the graph's current settings when its model is unchanged, so
        // the fixes made since the failure (a lower learning rate, warm-up) apply; see resumePlan.
        const plan = resumePlan(run, livePlan);
        setShownPlan(plan);
        setTab('live');
        if (canContinue(run)) await session.resume(run, data, plan);
        else await session.start({ plan: run.plan, backendRequest: run.backendRequest, ...(data ? { data, datasetId: CIFAR10_DATASET_ID } : {}) });
      } catch (e) {
        setStartError(e instanceof Error ? e.message : String(e));
      }
    },
    [session, livePlan],
  );

  const exportModel = useCallback(async () => {
    try {
      const exported = await session.exportModel(fileStem(plan?.name ?? 'model'));
      if (!exported) throw new Error('the worker has no trained model to export');
      downloadExportedModel(exported, fileStem(plan?.name ?? 'model'));
    } catch (e) {
      setStartError(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [session, plan]);

  const exportPyTorch = useCallback(async () => {
    try {
      if (!plan) throw new Error('no plan for this run');
      const exported = await session.exportModel(fileStem(plan.name));
      if (!exported) throw new Error('the worker has no trained model to export');
      const out = downloadPyTorchProject(plan, { modelJson: exported.modelJson, files: { [exported.weightsName]: new Uint8Array(exported.weights) } });
      if (!out.ok) throw new Error(out.message);
    } catch (e) {
      setStartError(`PyTorch export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [session, plan]);

  const next = nextBackend(view);
  const warning = warningOf(view);
  // The run on screen, when it can be taken up again from here.
  const current = session.current;
  const saved = active && current ? savedWords(current) : undefined;
  const resumable = current && !active && (view.phase === 'failed' || view.phase === 'interrupted' || view.phase === 'stopped') ? current : null;
  const evaluation = view.phase === 'idle' ? undefined : view.evaluation;
  const tabs: { id: Tab; label: string; badge?: string }[] = [
    ...(filesNeeded || plan?.mode === 'supervised' ? [{ id: 'data' as const, label: 'Data' }] : []),
    { id: 'live', label: plan?.mode === 'rl' ? 'Driving & metrics' : 'Metrics' },
    { id: 'evaluation', label: 'Evaluation', ...(evaluation ? { badge: '●' } : {}) },
    { id: 'history', label: 'History', badge: String(entries.length) },
  ];
  const tab = pickedTab ?? (filesNeeded && !cached && view.phase === 'idle' ? 'data' : 'live');
  const currentTab = tabs.some((t) => t.id === tab) ? tab : 'live';

  return (
    <section className={`rp${expanded ? ' expanded' : ''}`} aria-label="Run" data-testid="run-panel">
      <RunControls
        plan={plan}
        frame={frame}
        backendRequest={backendRequest}
        onBackendRequest={setBackendRequest}
        availability={availability}
        blocked={blocked}
        onRun={() => void start(backendRequest)}
        onPause={() => void session.pause()}
        onResume={() => void session.resumePaused()}
        onStop={() => void session.stop()}
        onExport={() => void exportModel()}
        onExportPyTorch={() => void exportPyTorch()}
        canExport={session.canExport && !active}
        {...(saved ? { saved } : {})}
        open={open}
        onToggle={() => setOpen((o) => !o)}
      />
      {open && (
        <div className="rp-body">
          <div className="rp-tabs" role="tablist">
            {tabs.map((t) => (
              <button key={t.id} type="button" role="tab" className="rp-tab" aria-selected={currentTab === t.id} data-testid={`run-tab-${t.id}`} onClick={() => setTab(t.id)}>
                {t.label}
                {t.badge && <span className="rp-badge">{t.badge}</span>}
              </button>
            ))}
            <span className="rp-spacer" />
            {plan && (
              <span className="rp-plan" title={planLine(plan)} data-testid="run-plan">
                {planLine(plan)}
              </span>
            )}
            <button type="button" className="rp-tab" onClick={() => setExpanded((x) => !x)} title="Give the panel more room">
              {expanded ? 'Smaller' : 'Larger'}
            </button>
          </div>
          <div className="rp-pane" role="tabpanel">
            {view.phase === 'failed' && (
              <div className="rp-alert error" role="alert" data-testid="run-error">
                <span>
                  <b>Training failed{view.backend?.used ? ` on ${view.backend.used}` : ''}:</b> {view.error}
                </span>
                {next && (
                  <button
                    type="button"
                    className="btn small"
                    data-testid="retry-next-backend"
                    onClick={() => {
                      setBackendRequest(next);
                      void start(next);
                    }}
                  >
                    Retry on {next}
                  </button>
                )}
                {view.workerLost && current && (
                  <button type="button" className="btn small" data-testid="retry-run" title="Start this plan again from the beginning" onClick={() => void start(current.backendRequest)}>
                    Retry
                  </button>
                )}
              </div>
            )}
            {warning && (
              <div className="rp-alert warn" role="alert" data-testid="run-warning">
                {warning}
              </div>
            )}
            {resumable && canContinue(resumable) && (
              <div className="rp-alert info" data-testid="run-resume-offer">
                <span>{resumeOffer(resumable, livePlan)}</span>
                <button type="button" className="btn small primary" data-testid="resume-current" onClick={() => void resumeRun(resumable)}>
                  Resume
                </button>
              </div>
            )}
            {current?.transfer && view.phase !== 'idle' && currentTab !== 'data' && (
              <div className="rp-alert info" data-testid="run-transfer-link">
                {describeLink(current.transfer, entries.some((e) => (e.ok ? e.run.id : e.id) === current.transfer!.runId))}
              </div>
            )}
            {startError && (
              <div className="rp-alert error" role="alert">
                {startError}
              </div>
            )}
            {currentTab === 'data' && (
              filesNeeded ? (
                <DataSourcePanel
                  cached={cached}
                  onChange={(c) => {
                    setCached(c);
                    setTab('data');
                  }}
                  busy={active}
                />
              ) : (
                <div className="rp-alert info">
                  This plan trains on the synthetic dataset ({livePlan?.mode === 'supervised' ? `${livePlan.dataset.value.sampleShape.join('×')}, ${livePlan.dataset.value.numClasses} classes` : ''}),
                  generated in the worker: no files needed.
                </div>
              )
            )}
            {currentTab === 'live' &&
              (view.phase === 'idle' ? (
                <p className="rp-empty">{blocked ?? 'Press Run to train. Metrics stream here live; all training happens in a worker, so the editor stays responsive.'}</p>
              ) : plan?.mode === 'rl' ? (
                <RlLive frame={frame} metrics={session.metrics} />
              ) : (
                <SupervisedLive frame={frame} metrics={session.metrics} {...(reconstructs(plan) ? { reconstructions: session.reconstructions } : {})} />
              ))}
            {currentTab === 'evaluation' &&
              (!evaluation ? (
                <p className="rp-empty">The evaluation appears when training finishes (or is stopped).</p>
              ) : evaluation.kind === 'reconstruction' ? (
                <ReconstructionReport report={evaluation} grids={session.reconstructions} />
              ) : evaluation.kind === 'classification' ? (
                <>
                  {plan?.mode === 'supervised' && plan.initFrom && (
                    <TransferComparison plan={plan} accuracy={evaluation.accuracy} baseline={scratchBaseline(plan, entries) ?? { kind: 'none' }} />
                  )}
                  <ClassificationReport report={evaluation} classNames={classNames(plan)} shape={plan?.mode === 'supervised' ? plan.dataset.value.sampleShape : [32, 32, 3]} />
                </>
              ) : (
                <DrivingEvaluationView evaluation={evaluation} frame={frame} session={session} earlier={earlierAgents(entries, evaluation, plan ?? undefined, session.runId)} />
              ))}
            {currentTab === 'history' && (
              <ImportWeights
                repo={repo}
                plan={livePlan}
                disabled={active}
                onImported={(run) => {
                  setStartError(null);
                  reload();
                  setShownPlan(run.plan);
                  session.show(run);
                }}
                onRefused={setStartError}
              >
                <RunHistory
                  entries={entries}
                  elsewhere={(run) => runningElsewhere(run, repo.me)}
                  {...(session.runId ? { currentId: session.runId } : {})}
                  busy={active}
                  onShow={(run) => {
                    setShownPlan(run.plan);
                    session.show(run);
                    setTab(run.evaluation ? 'evaluation' : 'live');
                  }}
                  onResume={(run) => void resumeRun(run)}
                  onEvaluate={(run) => void resumeRun(run)}
                  livePlan={livePlan}
                  onDelete={(id) => void repo.delete(id).then(reload)}
                />
              </ImportWeights>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
