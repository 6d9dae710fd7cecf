import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { emptyDocument } from '../graph';
import { EditorStore } from '../editor/store';
import { openDatabase, ProjectChannel, ProjectRepository } from '../storage';
import { ProjectSession } from './project-session';

const sessions: ProjectSession[] = [];
const channels: ProjectChannel[] = [];

/** Two "tabs": separate stores, sessions and channels over one database. */
function tabs(channelName: string) {
  const db = openDatabase('session-test', { indexedDB: new IDBFactory(), IDBKeyRange });
  const repo = new ProjectRepository(db, registry);
  const make = () => {
    const channel = new ProjectChannel(channelName);
    const session = new ProjectSession(new EditorStore(registry, emptyDocument()), repo, channel, 20);
    sessions.push(session);
    channels.push(channel);
    return session;
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
  for (const s of sessions.splice(0)) s.dispose();
  for (const c of channels.splice(0)) c.close();
});

describe('ProjectSession', () => {
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
