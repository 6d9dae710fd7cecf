import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { CURRENT_VERSION } from '../graph';
import { openDatabase } from './db';
import { PROJECT_RECORD_VERSION, readProjectRecord } from './project-record';
import { ProjectRepository } from './projects';

function freshRepo() {
  let t = 1000;
  const db = openDatabase('test', { indexedDB: new IDBFactory(), IDBKeyRange });
  return new ProjectRepository(db, registry, () => (t += 1000));
}

const resnet = () => presetById('resnet-cifar')!.doc;

describe('ProjectRepository', () => {
  it('creates, lists newest first, reads back and remembers the last opened', async () => {
    const repo = freshRepo();
    const a = await repo.create(resnet());
    const b = await repo.create(presetById('blank')!.doc, 'Scratch');
    const list = await repo.list();
    expect(list.map((p) => p.name)).toEqual(['Scratch', 'ResNet-20 on CIFAR-10']);
    expect(list[1]!.nodeCount).toBe(20);
    const read = await repo.get(a.id);
    expect(read.ok && read.project.doc).toEqual(resnet());
    await repo.setLastOpened(b.id);
    expect(await repo.lastOpened()).toBe(b.id);
  });

  it('names a second import of the same graph apart: " (2)", " (3)", and counts on from a numbered name', async () => {
    const repo = freshRepo();
    const names = [];
    for (let i = 0; i < 3; i++) names.push((await repo.create(resnet())).name);
    expect(names).toEqual(['ResNet-20 on CIFAR-10', 'ResNet-20 on CIFAR-10 (2)', 'ResNet-20 on CIFAR-10 (3)']);
    expect((await repo.create(resnet(), 'ResNet-20 on CIFAR-10 (2)')).name).toBe('ResNet-20 on CIFAR-10 (4)');
    const copy = await repo.duplicate((await repo.list()).at(-1)!.id);
    const again = await repo.duplicate((await repo.list()).at(-1)!.id);
    expect([copy!.name, again!.name]).toEqual(['ResNet-20 on CIFAR-10 (copy)', 'ResNet-20 on CIFAR-10 (copy) (2)']);
    const stored = await repo.get(copy!.id);
    expect(stored.ok && stored.project.doc.name).toBe('ResNet-20 on CIFAR-10 (copy)');
  });

  it('keeps a numbered name within the 200-character limit', async () => {
    const repo = freshRepo();
    const long = 'n'.repeat(200);
    await repo.create(resnet(), long);
    const second = await repo.create(resnet(), long);
    expect(second.name).toBe(`${'n'.repeat(196)} (2)`);
  });

  it('refuses to store, and reports on read, a document the way in refuses', async () => {
    const repo = freshRepo();
    const bad = { ...resnet(), nodes: resnet().nodes.map((n) => (n.id === 'pool' ? { ...n, type: 'toString' } : n)) };
    await expect(repo.create(bad)).rejects.toThrow(/unknown node type "toString"/);
    const p = await repo.create(resnet());
    await repo.db.projects.update(p.id, { doc: bad });
    const read = await repo.get(p.id);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems).toEqual([{ path: 'doc.nodes.15.type', message: 'unknown node type "toString"' }]);
  });

  it('saves against a revision and refuses a save based on a stale one', async () => {
    const repo = freshRepo();
    const p = await repo.create(resnet());
    const first = await repo.save(p.id, { ...p.doc, name: 'Tab A' }, p.revision);
    expect(first).toMatchObject({ ok: true, revision: 2 });
    const stale = await repo.save(p.id, { ...p.doc, name: 'Tab B' }, p.revision);
    expect(stale.ok).toBe(false);
    if (!stale.ok && stale.reason === 'conflict') expect(stale.current.doc.name).toBe('Tab A');
    else throw new Error(`expected a conflict, got ${JSON.stringify(stale)}`);
    const forced = await repo.save(p.id, { ...p.doc, name: 'Tab B' }, p.revision, true);
    expect(forced).toMatchObject({ ok: true, revision: 3 });
    const read = await repo.get(p.id);
    expect(read.ok && read.project.name).toBe('Tab B');
  });

  it('validates on write: an invalid document is not stored', async () => {
    const repo = freshRepo();
    const p = await repo.create(resnet());
    const bad = { ...p.doc, nodes: [...p.doc.nodes, p.doc.nodes[0]!] };
    const result = await repo.save(p.id, bad, p.revision);
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    const read = await repo.get(p.id);
    expect(read.ok && read.project.revision).toBe(1);
  });

  it('validates on read: a damaged record is reported, listed and deletable', async () => {
    const repo = freshRepo();
    await repo.db.projects.add({ id: 'broken', schemaVersion: 1, name: 'Broken', revision: 1, createdAt: 1, updatedAt: 1, doc: { format: 'nope' } });
    const read = await repo.get('broken');
    expect(read.ok).toBe(false);
    const [row] = await repo.list();
    expect(row).toMatchObject({ id: 'broken', problem: expect.stringContaining('not a Tensorloom graph') });
    await repo.delete('broken');
    expect(await repo.list()).toEqual([]);
  });

  it('migrates old records on read and refuses newer ones', () => {
    const raw = { id: 'x', schemaVersion: 1, name: 'n', revision: 1, createdAt: 0, updatedAt: 0, doc: resnet() };
    const migrations = [{ from: 1, up: (r: Record<string, unknown>) => ({ ...r, name: `${String(r.name)} (migrated)` }) }];
    const read = readProjectRecord(raw, registry, migrations, 2);
    expect(read.ok && read.project.name).toBe('n (migrated)');
    expect(readProjectRecord({ ...raw, schemaVersion: PROJECT_RECORD_VERSION + 1 }, registry).ok).toBe(false);
    expect(readProjectRecord({ ...raw, doc: { ...resnet(), version: CURRENT_VERSION + 1 } }, registry).ok).toBe(false);
  });

  it('renames, duplicates and deletes (clearing the last-opened mark)', async () => {
    const repo = freshRepo();
    const p = await repo.create(resnet());
    await repo.setLastOpened(p.id);
    await repo.rename(p.id, 'Renamed');
    const copy = await repo.duplicate(p.id);
    expect(copy?.name).toBe('Renamed (copy)');
    expect(copy?.doc.nodes).toEqual(p.doc.nodes);
    await repo.delete(p.id);
    expect(await repo.lastOpened()).toBeUndefined();
    expect((await repo.list()).map((x) => x.name)).toEqual(['Renamed (copy)']);
  });
});
