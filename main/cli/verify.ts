/**
 * `vault check`: prove that every record in the vault decrypts and authenticates.
 *
 * The Vault API lists records per kind but cannot enumerate kinds, so the kinds (and row
 * counts) are read from the file's plain-text `records` table BEFORE unlocking, read-only
 * (once unlocked the vault holds an exclusive lock). Any failure of that pre-scan is ignored:
 * unlocking then reports what is actually wrong with the file, with the vault's own error code.
 * Every kind is then listed through the vault, which decrypts every row of it and throws
 * VAULT_TAMPERED naming the first record that fails authentication.
 */
import Database from 'better-sqlite3';
import { BulwarkError } from '../../shared/errors';
import { HOST_KIND, PVE_NODE_KIND } from '../services/inventory';
import type { VaultHandle } from './services';

export interface VerifyReport {
  /** Records decrypted in total. */
  records: number;
  /** Records per kind, e.g. { host: 12, "pve-node": 1 }. */
  kinds: Record<string, number>;
}

/** Kinds always checked, even when the pre-scan could not run. */
const KNOWN_KINDS = [HOST_KIND, PVE_NODE_KIND];

/** Row counts per kind from the file, or null when the file could not be read that way. */
export function scanKinds(file: string): Map<string, number> | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 200 });
    const rows = db.prepare('SELECT kind, COUNT(*) AS n FROM records GROUP BY kind').all() as { kind: string; n: number }[];
    return new Map(rows.map((r) => [r.kind, r.n]));
  } catch {
    return null;
  } finally {
    try {
      db?.close();
    } catch {
      // nothing to release
    }
  }
}

/** Unlocks `handle` with `passphrase` and decrypts every record. */
export function verifyVault(handle: VaultHandle, passphrase: string): VerifyReport {
  const scanned = scanKinds(handle.path);
  handle.vault.unlock(passphrase);
  const kinds = new Set([...KNOWN_KINDS, ...(scanned?.keys() ?? [])]);
  const counts: Record<string, number> = {};
  let records = 0;
  for (const kind of [...kinds].sort()) {
    const n = handle.vault.list<unknown>(kind).length;
    const expected = scanned?.get(kind) ?? 0;
    if (scanned && n !== expected) {
      throw new BulwarkError('VAULT_TAMPERED', `The vault lists ${n} "${kind}" records but the file holds ${expected}.`);
    }
    if (n > 0) counts[kind] = n;
    records += n;
  }
  return { records, kinds: counts };
}
