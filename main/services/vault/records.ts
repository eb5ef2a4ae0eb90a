/**
 * Record encryption. The associated data binds each ciphertext to this vault and to its row
 * (kind, id, timestamps), so a row edited, moved to another id/kind, or copied from another
 * vault fails authentication instead of decrypting as something else.
 */
import { BulwarkError } from '../../../shared/errors';
import { open, seal } from './crypto';

export interface RecordRow {
  kind: string;
  id: string;
  created_at: number;
  updated_at: number;
  data: Buffer;
}

const KIND_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const MAX_ID_LENGTH = 256;

export function checkKind(kind: unknown): asserts kind is string {
  if (typeof kind !== 'string' || !KIND_RE.test(kind)) {
    throw new BulwarkError('VALIDATION', 'Record kind must be 1-64 letters, digits, "_", ".", ":" or "-"', { kind: 'invalid' });
  }
}

/** Ids are stored in plain text: callers must use opaque ids (newId()), never a hostname. */
export function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new BulwarkError('VALIDATION', `Record id must be a string of 1-${MAX_ID_LENGTH} characters`, { id: 'invalid' });
  }
}

/** JSON text of a value; undefined, functions, cycles and BigInt are refused. */
export function toJson(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    throw new BulwarkError('VALIDATION', `Record value is not JSON-serialisable: ${(e as Error).message}`, { value: 'not JSON' });
  }
  if (json === undefined) throw new BulwarkError('VALIDATION', 'Record value is not JSON-serialisable', { value: 'not JSON' });
  return json;
}

function aad(vaultId: string, kind: string, id: string, createdAt: number, updatedAt: number): Buffer {
  return Buffer.from(JSON.stringify(['bulwark/record/v1', vaultId, kind, id, createdAt, updatedAt]), 'utf8');
}

export class RecordCipher {
  /** vaultIdHex is part of every record's associated data. */
  constructor(
    private readonly key: Buffer,
    private readonly vaultIdHex: string,
  ) {}

  encrypt(kind: string, id: string, createdAt: number, updatedAt: number, json: string): Buffer {
    return seal(this.key, Buffer.from(json, 'utf8'), aad(this.vaultIdHex, kind, id, createdAt, updatedAt));
  }

  /** The record's JSON text; VAULT_TAMPERED naming the record when it does not authenticate. */
  decrypt(row: RecordRow): string {
    const plain = open(this.key, row.data, aad(this.vaultIdHex, row.kind, row.id, row.created_at, row.updated_at));
    if (!plain) {
      throw new BulwarkError(
        'VAULT_TAMPERED',
        `Record ${row.kind}/${row.id} failed its integrity check: it was modified, swapped with another row, or copied from another vault.`,
      );
    }
    const text = plain.toString('utf8');
    plain.fill(0);
    return text;
  }
}

/**
 * Values handed out from the cache are frozen: callers share one object per record, and a
 * mutation would otherwise silently change the cache without reaching the file.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
