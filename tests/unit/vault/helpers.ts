/** Shared fixtures for the vault tests: temp dirs, a real-parameter vault made once per file. */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Vault, type VaultOptions } from '../../../main/services/vault';
export { expectCode } from '../../helpers/expect-error';

export const PASS = 'granite-otter-velvet-97';
export const PASS2 = 'orbit lantern mosaic quartz';
export const EXPORT_PASS = 'Sunny-Harbor-71-Maple';
/** Tests only, for the few cases that must run many derivations (crash loop, cache churn). */
export const FAST_KDF = { N: 1024, r: 8, p: 1 } as const;

const dirs: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bulwark-vault-'));
  dirs.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}


export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Raw SQL on a vault file, as an attacker or a damaged disk would change it. */
export function withRaw<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export interface Fixture {
  file: string;
  recoveryKey: string;
}

/** A closed vault with real scrypt parameters and a few records. Copy it per test. */
export function makeFixture(records: Array<{ kind: string; id: string; value: unknown }> = []): Fixture {
  const file = join(tempDir(), 'fixture', 'vault.db');
  const v = new Vault({ path: file });
  const { recoveryKey } = v.create(PASS);
  for (const r of records) v.put(r.kind, r.id, r.value);
  v.close();
  return { file, recoveryKey };
}

export function copyFixture(fx: Fixture, opts: Partial<VaultOptions> = {}): Vault {
  const file = join(tempDir(), 'vault.db');
  copyFileSync(fx.file, file);
  return new Vault({ ...opts, path: file });
}

/** Real scrypt runs ~0.8 s per derivation on an idle 2-core box; leave room for a busy one. */
export const SLOW = { timeout: 120_000 } as const;
