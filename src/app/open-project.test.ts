import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { emptyDocument } from '../graph';
import { EditorStore } from '../editor/store';
import { openDatabase, ProjectChannel, ProjectRepository } from '../storage';
import { OpenProject, type TabMemory } from './open-project';

const projects: OpenProject[] = [];
const channels: ProjectChannel[] = [];

/** Two "tabs": separate stores, projects and channels over one database. */
function tabs(channelName: string) {
  const db = openDatabase('project-test', { indexedDB: new IDBFactory(), IDBKeyRange });
  const repo = new ProjectRepository(db, registry);
  const make = () => {
    const channel = new ProjectChannel(channelName);
    const project = new OpenProject(new EditorStore(registry, emptyDocument()), repo, channel, 20);
    projects.push(project);
    channels.push(channel);
    return project;
  };
  return { repo, a: make(), b: make() };
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(() => {
  for (const s of projects.splice(0)) s.dispose();
  for (const c of channels.splice(0)) c.close();
});

describe('OpenProject', () => {
  it('autosaves edits after a short delay', async () => {
    const { repo, a } = tabs('autosave');
    const p = await a.createAndOpen(presetById('resnet-cifar')!.doc);
    a.store.apply({ kind: 'rename', name: 'Edited' }, 'Rename');
    expect(a.getState().saveState).toBe('unsaved');
    await until(() => a.getState().saveState === 'saved');
    const read = await repo.get(p.id);
    expect(read.ok && read.project.doc.name).toBe('Edited');
  });

  it('follows another tab when it has nothing unsaved', async () => {
    const { a, b } = tabs('follow');
    const p = await a.createAndOpen(presetById('resnet-cifar')!.doc);
    await b.open(p.id);
    a.store.apply({ kind: 'rename', name: 'From A' }, 'Rename');
    await until(() => b.store.getState().doc.name === 'From A');
    expect(b.getState().conflict).toBeNull();
  });

  it('never silently overwrites: concurrent edits become a conflict the user resolves', async () => {
    const { repo, a, b } = tabs('conflict');
    const p = await a.createAndOpen(presetById('resnet-cifar')!.doc);
    await b.open(p.id);
    // B edits without saving yet; A saves first.
    b.store.apply({ kind: 'rename', name: 'From B' }, 'Rename');
    a.store.apply({ kind: 'rename', name: 'From A' }, 'Rename');
    await a.flush();
    await until(() => b.getState().conflict !== null);
    const stored = await repo.get(p.id);
    expect(stored.ok && stored.project.doc.name).toBe('From A');
    expect(b.store.getState().doc.name).toBe('From B');

    await b.resolve('copy');
    expect(b.getState().projectId).not.toBe(p.id);
    const names = (await repo.list()).map((x) => x.name).sort();
    expect(names).toEqual(['From A', 'From B (my copy)']);
  });

  it('refuses a stale save even without the broadcast (revision check)', async () => {
    const { repo, a } = tabs('stale');
    const p = await a.createAndOpen(presetById('resnet-cifar')!.doc);
    await repo.save(p.id, { ...p.doc, name: 'Elsewhere' }, p.revision);
    a.store.apply({ kind: 'rename', name: 'Here' }, 'Rename');
    await a.flush();
    expect(a.getState().conflict?.kind).toBe('saved');
    await a.resolve('mine');
    const read = await repo.get(p.id);
    expect(read.ok && read.project.doc.name).toBe('Here');
    expect(a.getState().saveState).toBe('saved');
  });
});

/** A tab's sessionStorage stand-in: it outlives the tab's page (a reload), not the tab. */
function tabMemory(): TabMemory {
  let id: string | null = null;
  return {
    get: () => id,
    set: (projectId) => {
      id = projectId;
    },
  };
}

describe('OpenProject per-tab last project', () => {
  /** Tabs over one database; `load(memory)` is a page load in the tab that owns `memory`. */
  function browser(channelName: string) {
    const db = openDatabase('tab-memory-test', { indexedDB: new IDBFactory(), IDBKeyRange });
    const repo = new ProjectRepository(db, registry);
    const load = (memory: TabMemory) => {
      const channel = new ProjectChannel(channelName);
      const project = new OpenProject(new EditorStore(registry, emptyDocument()), repo, channel, 20, memory);
      projects.push(project);
      channels.push(channel);
      return project;
    };
    return { repo, load };
  }

  it('a reload reopens the project this tab showed, not the one another tab opened since', async () => {
    const { repo, load } = browser('per-tab');
    const tabA = tabMemory();
    const tabB = tabMemory();
    const a = load(tabA);
    const b = load(tabB);
    const resnet = await a.createAndOpen(presetById('resnet-cifar')!.doc);
    const driver = await b.createAndOpen(presetById('dqn-driver')!.doc);
    expect(await repo.lastOpened()).toBe(driver.id);

    // A new tab has no project of its own: it opens the one opened last in any tab.
    const newTab = load(tabMemory());
    expect(await newTab.reopenLast()).toBe(true);
    expect(newTab.getState().projectId).toBe(driver.id);

    a.dispose();
    const reloadedA = load(tabA);
    expect(await reloadedA.reopenLast()).toBe(true);
    expect(reloadedA.getState().projectId).toBe(resnet.id);
    expect(reloadedA.store.getState().doc.name).toBe(resnet.name);
  });

  it("falls back to the shared last project when this tab's project was deleted", async () => {
    const { repo, load } = browser('per-tab-deleted');
    const tabA = tabMemory();
    const a = load(tabA);
    const b = load(tabMemory());
    const gone = await a.createAndOpen(presetById('resnet-cifar')!.doc);
    const kept = await b.createAndOpen(presetById('dqn-driver')!.doc);
    await b.remove(gone.id);
    expect(await repo.lastOpened()).toBe(kept.id);

    const reloadedA = load(tabA);
    expect(await reloadedA.reopenLast()).toBe(true);
    expect(reloadedA.getState().projectId).toBe(kept.id);
  });

  it('opens nothing when no project was ever opened', async () => {
    const { load } = browser('per-tab-empty');
    const fresh = load(tabMemory());
    expect(await fresh.reopenLast()).toBe(false);
    expect(fresh.getState().projectId).toBeNull();
  });
});
