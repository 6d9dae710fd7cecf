/**
 * The app's long-lived objects, created once per page (outside React, so StrictMode's double
 * effects cannot create two projects on first start).
 */
import { registry } from '../../nodes/registry';
import { DEFAULT_PRESET_ID, presetById } from '../../presets';
import { emptyDocument, type GraphDocument } from '../graph';
import { EditorStore } from '../editor/store';
import { openDatabase, ProjectChannel, ProjectRepository } from '../storage';
import { OpenProject } from './open-project';

export interface AppServices {
  store: EditorStore;
  repo: ProjectRepository;
  openProject: OpenProject;
  /** Resolves once the last project (or a new one) is showing; rejects if storage fails. */
  ready: Promise<void>;
}

let services: AppServices | null = null;

/**
 * Opens `initial` as a new project when given (a shared graph), else the project this tab showed
 * before a reload (in a new tab: the last one opened in any tab), else the most recent, else a new
 * one from the default preset.
 */
async function boot(repo: ProjectRepository, openProject: OpenProject, initial?: GraphDocument): Promise<void> {
  if (initial) {
    await openProject.createAndOpen(initial);
    return;
  }
  if (await openProject.reopenLast()) return;
  for (const p of await repo.list()) {
    if (!p.problem && (await openProject.open(p.id)).ok) return;
  }
  await openProject.createAndOpen(presetById(DEFAULT_PRESET_ID)?.doc ?? emptyDocument());
}

/** The services, created on first call; `initial` only matters on that first call. */
export function appServices(initial?: GraphDocument): AppServices {
  if (services) return services;
  const store = new EditorStore(registry, emptyDocument('Loading…'), { readOnly: true });
  const repo = new ProjectRepository(openDatabase(), registry);
  const openProject = new OpenProject(store, repo, new ProjectChannel());
  const ready = boot(repo, openProject, initial).then(() => store.setReadOnly(false));
  services = { store, repo, openProject, ready };
  window.addEventListener('pagehide', () => void openProject.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void openProject.flush();
  });
  return services;
}
