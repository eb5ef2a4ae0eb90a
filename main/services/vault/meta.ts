/**
 * The plain-text metadata row set and its MAC. The MAC (keyed by a subkey of the vault key)
 * covers everything that is not itself protected by AES-GCM, so a swapped recovery slot, a
 * changed vault id or a rolled-back schema version is caught right after unlock.
 */
import type Database from 'better-sqlite3';
import { BulwarkError } from '../../../shared/errors';
import { equalBytes, hmac } from './crypto';
import { type KdfParams, parseKdfParams } from './kdf';

export const DEFAULT_AUTO_LOCK_MINUTES = 15;
export const MAX_AUTO_LOCK_MINUTES = 24 * 60;

export interface KeychainSlot {
  /** The random wrap key, encrypted by the OS keychain adapter. */
  osBlob: Buffer;
  /** The vault key sealed under that wrap key. */
  wrapped: Buffer;
}

export interface VaultMeta {
  vaultId: Buffer;
  createdAt: number;
  kdf: KdfParams;
  passphraseSlot: Buffer;
  recoverySlot: Buffer;
  keychainSlot: KeychainSlot | null;
  autoLockMinutes: number;
}

const KEYS = {
  vaultId: 'vault_id',
  createdAt: 'created_at',
  kdf: 'kdf',
  passphraseSlot: 'slot_passphrase',
  recoverySlot: 'slot_recovery',
  keychainOs: 'slot_keychain_os',
  keychainWrapped: 'slot_keychain_wrapped',
  autoLock: 'auto_lock_minutes',
  mac: 'mac',
} as const;

function tampered(what: string): BulwarkError {
  return new BulwarkError('VAULT_TAMPERED', `The vault metadata is damaged or was modified (${what}).`);
}

function b64(value: string | undefined, what: string): Buffer {
  if (value === undefined) throw tampered(`${what} missing`);
  const buf = Buffer.from(value, 'base64');
  if (buf.toString('base64') !== value) throw tampered(`${what} malformed`);
  return buf;
}

function readRows(db: Database.Database): Map<string, string> {
  let rows: Array<{ key: string; value: string }>;
  try {
    rows = db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>;
  } catch {
    throw tampered('metadata table missing');
  }
  return new Map(rows.map((r) => [r.key, r.value]));
}

export function readMeta(db: Database.Database): { meta: VaultMeta; mac: Buffer } {
  const rows = readRows(db);
  const vaultId = b64(rows.get(KEYS.vaultId), 'vault id');
  if (vaultId.length !== 16) throw tampered('vault id');
  let kdfJson: unknown;
  try {
    kdfJson = JSON.parse(rows.get(KEYS.kdf) ?? 'null');
  } catch {
    kdfJson = null;
  }
  const kdf = parseKdfParams(kdfJson);
  if (!kdf) throw tampered('KDF parameters');
  const osBlob = rows.get(KEYS.keychainOs);
  const wrapped = rows.get(KEYS.keychainWrapped);
  if ((osBlob === undefined) !== (wrapped === undefined)) throw tampered('keychain slot');
  const autoLock = Number(rows.get(KEYS.autoLock) ?? DEFAULT_AUTO_LOCK_MINUTES);
  if (!Number.isInteger(autoLock) || autoLock < 0 || autoLock > MAX_AUTO_LOCK_MINUTES) throw tampered('auto-lock setting');
  const createdAt = Number(rows.get(KEYS.createdAt));
  if (!Number.isSafeInteger(createdAt)) throw tampered('creation time');
  return {
    meta: {
      vaultId,
      createdAt,
      kdf,
      passphraseSlot: b64(rows.get(KEYS.passphraseSlot), 'passphrase slot'),
      recoverySlot: b64(rows.get(KEYS.recoverySlot), 'recovery slot'),
      keychainSlot:
        osBlob !== undefined && wrapped !== undefined
          ? { osBlob: b64(osBlob, 'keychain slot'), wrapped: b64(wrapped, 'keychain slot') }
          : null,
      autoLockMinutes: autoLock,
    },
    mac: b64(rows.get(KEYS.mac), 'MAC'),
  };
}

/** Best-effort read for status display while locked; unauthenticated, never used for decisions. */
export function readMetaHints(db: Database.Database): { autoLockMinutes: number; keychainEnrolled: boolean; kdf: KdfParams | null } {
  const rows = readRows(db);
  const autoLock = Number(rows.get(KEYS.autoLock) ?? DEFAULT_AUTO_LOCK_MINUTES);
  let kdf: KdfParams | null = null;
  try {
    kdf = parseKdfParams(JSON.parse(rows.get(KEYS.kdf) ?? 'null'));
  } catch {
    kdf = null;
  }
  return {
    autoLockMinutes: Number.isInteger(autoLock) && autoLock >= 0 ? autoLock : DEFAULT_AUTO_LOCK_MINUTES,
    keychainEnrolled: rows.has(KEYS.keychainOs),
    // read before unlocking so the key derivation can start off the main thread
    kdf,
  };
}

/** Fixed-order JSON array: unambiguous and stable across runtimes. */
function macInput(meta: VaultMeta, schemaVersion: number): Buffer {
  return Buffer.from(
    JSON.stringify([
      'bulwark/vault-meta/v1',
      meta.vaultId.toString('hex'),
      schemaVersion,
      meta.createdAt,
      [meta.kdf.alg, meta.kdf.N, meta.kdf.r, meta.kdf.p, meta.kdf.salt],
      meta.passphraseSlot.toString('base64'),
      meta.recoverySlot.toString('base64'),
      meta.keychainSlot ? [meta.keychainSlot.osBlob.toString('base64'), meta.keychainSlot.wrapped.toString('base64')] : null,
      meta.autoLockMinutes,
    ]),
    'utf8',
  );
}

export function computeMac(macKey: Buffer, meta: VaultMeta, schemaVersion: number): Buffer {
  return hmac(macKey, macInput(meta, schemaVersion));
}

export function verifyMac(macKey: Buffer, meta: VaultMeta, schemaVersion: number, mac: Buffer): boolean {
  return equalBytes(computeMac(macKey, meta, schemaVersion), mac);
}

/** Rewrites every metadata row. Call inside a transaction. */
export function writeMeta(db: Database.Database, meta: VaultMeta, mac: Buffer): void {
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  put.run(KEYS.vaultId, meta.vaultId.toString('base64'));
  put.run(KEYS.createdAt, String(meta.createdAt));
  put.run(KEYS.kdf, JSON.stringify({ alg: meta.kdf.alg, N: meta.kdf.N, r: meta.kdf.r, p: meta.kdf.p, salt: meta.kdf.salt }));
  put.run(KEYS.passphraseSlot, meta.passphraseSlot.toString('base64'));
  put.run(KEYS.recoverySlot, meta.recoverySlot.toString('base64'));
  if (meta.keychainSlot) {
    put.run(KEYS.keychainOs, meta.keychainSlot.osBlob.toString('base64'));
    put.run(KEYS.keychainWrapped, meta.keychainSlot.wrapped.toString('base64'));
  } else {
    db.prepare('DELETE FROM meta WHERE key IN (?, ?)').run(KEYS.keychainOs, KEYS.keychainWrapped);
  }
  put.run(KEYS.autoLock, String(meta.autoLockMinutes));
  put.run(KEYS.mac, mac.toString('base64'));
}
