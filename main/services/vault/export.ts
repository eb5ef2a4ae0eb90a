/**
 * The portable encrypted export: one file, readable with the export passphrase alone.
 *
 *   <header JSON>\n<AES-256-GCM(ciphertext | tag) of gzip(JSON {records: [...]})>
 *
 * The header bytes are the associated data, so editing the header (KDF params, version, nonce)
 * makes decryption fail rather than decrypt something else.
 */
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { BulwarkError } from '../../../shared/errors';
import { gcmDecrypt, gcmEncrypt, newNonce, wipe } from './crypto';
import { type ScryptCost, deriveKey, newKdfParams, parseKdfParams } from './kdf';
import { writeFileAtomic } from './atomic-write';
import { checkId, checkKind } from './records';

export const EXPORT_FORMAT = 'bulwark-vault-export';
export const EXPORT_VERSION = 1;
const MAX_HEADER_BYTES = 4096;
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** Decompression-bomb guard. */
const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export interface ExportRecord {
  kind: string;
  id: string;
  createdAt: number;
  updatedAt: number;
  value: unknown;
}

const timestamp = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const payloadSchema = z.object({
  records: z.array(
    z.object({
      kind: z.string(),
      id: z.string(),
      createdAt: timestamp,
      updatedAt: timestamp,
      value: z.unknown().refine((v) => v !== undefined, 'is required'),
    }),
  ),
});

function invalid(why: string): BulwarkError {
  return new BulwarkError('EXPORT_INVALID', `This is not a valid Bulwark export file (${why}).`);
}

export function writeExport(file: string, passphrase: string, cost: ScryptCost, records: ExportRecord[]): void {
  const kdf = newKdfParams(cost);
  const nonce = newNonce();
  const header = Buffer.from(
    JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, kdf, nonce: nonce.toString('base64') }),
    'utf8',
  );
  const plain = gzipSync(Buffer.from(JSON.stringify({ records }), 'utf8'));
  const key = deriveKey(passphrase, kdf);
  try {
    const body = gcmEncrypt(key, nonce, plain, header);
    writeFileAtomic(file, [header, Buffer.from('\n'), body]);
  } finally {
    wipe(key, plain);
  }
}

/** Decrypts and validates the whole file before returning: callers change nothing on failure. */
export function readExport(file: string, passphrase: string): ExportRecord[] {
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) throw invalid('file too large');
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BulwarkError('NOT_FOUND', `No file at ${file}.`);
    throw new BulwarkError('IO', `Could not read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const nl = bytes.subarray(0, MAX_HEADER_BYTES).indexOf(0x0a);
  if (nl < 0) throw invalid('no header');
  const header = bytes.subarray(0, nl);
  let parsed: unknown;
  try {
    parsed = JSON.parse(header.toString('utf8'));
  } catch {
    throw invalid('header is not JSON');
  }
  const h = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (h['format'] !== EXPORT_FORMAT) throw invalid('unknown format');
  if (typeof h['version'] !== 'number' || !Number.isInteger(h['version'])) throw invalid('no version');
  if (h['version'] > EXPORT_VERSION) {
    throw new BulwarkError('VAULT_TOO_NEW', `This export was made by a newer Bulwark (format v${h['version']}); update Bulwark to import it.`);
  }
  if (h['version'] !== EXPORT_VERSION) throw invalid(`unsupported version ${h['version']}`);
  const kdf = parseKdfParams(h['kdf']);
  if (!kdf) throw invalid('bad KDF parameters');
  const nonce = typeof h['nonce'] === 'string' ? Buffer.from(h['nonce'], 'base64') : Buffer.alloc(0);
  if (nonce.length !== 12) throw invalid('bad nonce');

  const key = deriveKey(passphrase, kdf);
  let zipped: Buffer | null;
  try {
    zipped = gcmDecrypt(key, nonce, bytes.subarray(nl + 1), header);
  } finally {
    wipe(key);
  }
  if (!zipped) {
    throw new BulwarkError('WRONG_PASSPHRASE', 'Wrong passphrase for this export file (or the file was damaged).');
  }
  let json: Buffer;
  try {
    json = gunzipSync(zipped, { maxOutputLength: MAX_PAYLOAD_BYTES });
  } catch {
    throw invalid('payload does not decompress');
  } finally {
    wipe(zipped);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json.toString('utf8'));
  } catch {
    throw invalid('payload is not JSON');
  } finally {
    wipe(json);
  }
  const result = payloadSchema.safeParse(payload);
  if (!result.success) throw invalid('records do not match the format');
  const seen = new Set<string>();
  for (const r of result.data.records) {
    try {
      checkKind(r.kind);
      checkId(r.id);
    } catch {
      throw invalid('bad record kind or id');
    }
    const key = JSON.stringify([r.kind, r.id]);
    if (seen.has(key)) throw invalid(`record ${r.kind}/${r.id} appears twice`);
    seen.add(key);
  }
  return result.data.records as ExportRecord[];
}
