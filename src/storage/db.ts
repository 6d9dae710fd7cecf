/**
 * The browser database (IndexedDB through Dexie). Tables are added by bumping the Dexie version;
 * each stored record also carries its own schema version, migrated on read (`project-record.ts`).
 */
import Dexie, { type EntityTable } from 'dexie';
import type { StoredProject } from './project-record';

/** A small key/value table for app state such as the last opened project. */
export interface MetaEntry {
  key: string;
  value: unknown;
}

export type TensorloomDatabase = Dexie & {
  projects: EntityTable<StoredProject, 'id'>;
  meta: EntityTable<MetaEntry, 'key'>;
};

export const DATABASE_NAME = 'tensorloom';

/** Opens (creating or upgrading) the database. `name` lets tests use a database of their own. */
export function openDatabase(name = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]): TensorloomDatabase {
  const db = new Dexie(name, options) as TensorloomDatabase;
  db.version(1).stores({
    projects: '&id, updatedAt',
    meta: '&key',
  });
  return db;
}
