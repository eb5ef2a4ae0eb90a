/**
 * Applies schema migrations in one transaction, after copying the file aside, so a failed or
 * regretted upgrade always leaves a usable file behind.
 */
import { chmodSync, closeSync, constants, copyFileSync, fsyncSync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { BulwarkError } from '../../../shared/errors';
import type { Migration } from './schema';

export function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new BulwarkError('INTERNAL', `Migration list out of order at v${m.version}`);
  });
  if (migrations.length === 0) throw new BulwarkError('INTERNAL', 'No migrations');
}

/**
 * Runs every migration above `from` and sets user_version. The caller wraps this in a
 * transaction together with whatever must change with it (the metadata MAC).
 */
export function applyMigrations(db: Database.Database, from: number, migrations: readonly Migration[]): void {
  for (const m of migrations) {
    if (m.version <= from) continue;
    m.up(db);
    db.pragma(`user_version = ${m.version}`);
  }
}

/**
 * Copies the (checkpointed) file to `<path>.bak-v<old>`. An existing backup is never
 * overwritten: it may be the only copy of an older state, so we pick the next free name.
 */
export function backupBeforeMigration(path: string, oldVersion: number): string {
  for (let n = 0; n < 1000; n++) {
    const dest = n === 0 ? `${path}.bak-v${oldVersion}` : `${path}.bak-v${oldVersion}.${n}`;
    try {
      copyFileSync(path, dest, constants.COPYFILE_EXCL);
      chmodSync(dest, 0o600);
      // the migration commits right after; the backup must be on disk before it
      const fd = openSync(dest, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return dest;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new BulwarkError('IO', `Could not find a free backup name next to ${path}`);
}
