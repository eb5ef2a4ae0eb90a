/**
 * The vault's SQLite schema as an ordered list of migrations. PRAGMA user_version holds the
 * number of the last one applied; PRAGMA application_id marks the file as a Bulwark vault.
 *
 * Rule for future migrations: the `meta` table keeps its shape forever (add keys, never change
 * columns), because the vault reads it *before* migrating, to check the passphrase first.
 */
import type Database from 'better-sqlite3';

/** 'BWKV' */
export const APPLICATION_ID = 0x42574b56;

export interface Migration {
  /** 1-based; migration n takes the file from version n-1 to n. */
  version: number;
  description: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    description: 'initial schema',
    up(db: Database.Database) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.exec(`
        -- Plain-text vault metadata: ids, KDF params, wrapped keys, settings. No secrets.
        CREATE TABLE meta (
          key   TEXT PRIMARY KEY NOT NULL,
          value TEXT NOT NULL
        ) WITHOUT ROWID;

        -- One row per record. Only kind, id and timestamps are readable; data is AES-GCM.
        CREATE TABLE records (
          kind       TEXT    NOT NULL,
          id         TEXT    NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          data       BLOB    NOT NULL,
          PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;
        CREATE INDEX records_by_kind_created ON records (kind, created_at, id);
      `);
    },
  },
]);

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length;
}
