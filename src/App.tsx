/**
 * The app: a shared graph's read-only preview when the URL carries a share link, otherwise the
 * workspace on the user's projects (or, in development, `?bench=N`: a generated N-node graph held
 * in memory, for the editor benchmark).
 */
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { registry } from '../nodes/registry';
import { appServices, type AppServices } from './app/services';
import { SharePreview } from './app/SharePreview';
import { Workspace } from './app/Workspace';
import { benchGraph } from './editor/bench-graph';
import { EditorContext } from './editor/context';
import { EditorStore } from './editor/store';
import type { GraphDocument } from './graph';
import { sharePayloadFromHash } from './share';

type Mode = { kind: 'share'; payload: string } | { kind: 'projects' } | { kind: 'bench'; nodes: number };

function modeFromLocation(): Mode {
  const payload = sharePayloadFromHash(location.hash);
  if (payload !== null) return { kind: 'share', payload };
  const bench = Number(new URLSearchParams(location.search).get('bench'));
  // Development and the benchmark build only: a production build never reads this parameter.
  if ((import.meta.env.DEV || import.meta.env.MODE === 'bench') && Number.isInteger(bench) && bench > 0) return { kind: 'bench', nodes: Math.min(bench, 10_000) };
  return { kind: 'projects' };
}

function clearHash(): void {
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

function ProjectsWorkspace({ services }: { services: AppServices }) {
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    services.ready.catch((err: unknown) => setFailed(err instanceof Error ? err.message : String(err)));
  }, [services]);
  if (failed) {
    return (
      <div className="fatal" role="alert">
        <h1>Tensorloom cannot open its storage</h1>
        <p>{failed}</p>
        <p className="muted">Private browsing modes sometimes block IndexedDB. Try a normal window.</p>
      </div>
    );
  }
  return (
    <EditorContext.Provider value={services.store}>
      <ReactFlowProvider>
        <Workspace openProject={services.openProject} />
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}

function BenchWorkspace({ nodes }: { nodes: number }) {
  const [store] = useState(() => new EditorStore(registry, benchGraph(nodes)));
  return (
    <EditorContext.Provider value={store}>
      <ReactFlowProvider>
        <Workspace openProject={null} />
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}

export function App() {
  const [mode, setMode] = useState<Mode>(modeFromLocation);
  const [services, setServices] = useState<AppServices | null>(() => (mode.kind === 'projects' ? appServices() : null));

  useEffect(() => {
    const onHash = () => {
      const next = modeFromLocation();
      if (next.kind === 'share') setMode(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const enterProjects = (initial?: GraphDocument) => {
    clearHash();
    const s = appServices(initial);
    setServices(s);
    setMode({ kind: 'projects' });
    return s;
  };

  if (mode.kind === 'bench') return <BenchWorkspace nodes={mode.nodes} />;
  if (mode.kind === 'share') {
    return (
      <SharePreview
        payload={mode.payload}
        onLeave={() => enterProjects()}
        onOpenAsProject={async (doc) => {
          const fresh = services === null;
          const s = fresh ? appServices(doc) : services;
          await s.ready;
          if (!fresh) await s.openProject.createAndOpen(doc);
          enterProjects();
        }}
      />
    );
  }
  return <ProjectsWorkspace services={services ?? appServices()} />;
}
