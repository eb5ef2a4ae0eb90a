/**
 * Passphrase -> key-encryption key with scrypt. The parameters travel with the wrapped key
 * (in the vault file, in export headers) so they can be raised later without breaking old files.
 */
import { scrypt, scryptSync } from 'node:crypto';
import { BulwarkError } from '../../../shared/errors';
import { KEY_BYTES, randomBytes } from './crypto';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export interface KdfParams extends ScryptCost {
  alg: 'scrypt';
  /** base64 */
  salt: string;
}

/**
 * 128 MiB. Measured on the 2-core reference box: one derivation takes ~0.82 s, so unlock stays
 * under the 1 s budget; if it did not, the fallback would be N=2^16 (64 MiB, ~0.42 s).
 */
export const DEFAULT_COST: ScryptCost = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
/** The production floor for newly wrapped keys: below 64 MiB GPU cracking gets cheap. */
export const MIN_PRODUCTION_MEMORY = 64 * 1024 * 1024;
/** Bounds for parameters read from files, so a crafted file cannot demand gigabytes or hours. */
const MAX_MEMORY = 1024 * 1024 * 1024;
const SALT_BYTES = 32;

export function memoryBytes(c: ScryptCost): number {
  return 128 * c.N * c.r;
}

/**
 * Test runners announce themselves: vitest sets VITEST, Playwright workers TEST_WORKER_INDEX,
 * and the CLI's spawned test processes NODE_ENV=test. A Bulwark-specific variable is not
 * enough on its own: it could weaken a real user's vault by accident.
 */
function isTestRun(): boolean {
  const env = process.env;
  return (
    env['VITEST'] !== undefined ||
    env['NODE_ENV'] === 'test' ||
    env['TEST_WORKER_INDEX'] !== undefined
  );
}

function saneCost(c: ScryptCost): boolean {
  return (
    Number.isInteger(c.N) && c.N >= 2 && c.N <= 2 ** 20 && (c.N & (c.N - 1)) === 0 &&
    Number.isInteger(c.r) && c.r >= 1 && c.r <= 32 &&
    Number.isInteger(c.p) && c.p >= 1 && c.p <= 16 &&
    memoryBytes(c) <= MAX_MEMORY
  );
}

/**
 * The cost used for new wraps. An override exists so tests can run fast; outside a test run it
 * may only make things stronger, never push memory below the 64 MiB floor.
 */
export function resolveCost(override?: ScryptCost): ScryptCost {
  if (!override) return DEFAULT_COST;
  if (!saneCost(override)) throw new BulwarkError('INTERNAL', 'Invalid scrypt parameters');
  if (memoryBytes(override) < MIN_PRODUCTION_MEMORY && !isTestRun()) {
    throw new BulwarkError('INTERNAL', 'scrypt parameters below the 64 MiB floor are allowed in tests only');
  }
  return { N: override.N, r: override.r, p: override.p };
}

export function newKdfParams(cost: ScryptCost): KdfParams {
  return { alg: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: randomBytes(SALT_BYTES).toString('base64') };
}

/** Validates parameters from an untrusted source; null when unusable. */
export function parseKdfParams(value: unknown): KdfParams | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v['alg'] !== 'scrypt' || typeof v['salt'] !== 'string') return null;
  const cost = { N: v['N'], r: v['r'], p: v['p'] };
  if (typeof cost.N !== 'number' || typeof cost.r !== 'number' || typeof cost.p !== 'number') return null;
  if (!saneCost(cost as ScryptCost)) return null;
  const salt = Buffer.from(v['salt'], 'base64');
  if (salt.length < 16 || salt.toString('base64') !== v['salt']) return null;
  return { alg: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: v['salt'] };
}

/**
 * NFC first: the same passphrase typed on macOS and Windows can arrive in different Unicode
 * normal forms.
 */
export function deriveKey(passphrase: string, params: KdfParams): Buffer {
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64'), KEY_BYTES, scryptOptions(params));
}

/** The same derivation on libuv's thread pool: the calling thread (Electron's main) stays free. */
export function deriveKeyAsync(passphrase: string, params: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64'), KEY_BYTES, scryptOptions(params), (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function scryptOptions(params: KdfParams) {
  const { N, r, p } = params;
  return { N, r, p, maxmem: memoryBytes(params) * 2 + 16 * 1024 * 1024 };
}

export function sameKdf(a: KdfParams, b: KdfParams): boolean {
  return a.N === b.N && a.r === b.r && a.p === b.p && a.salt === b.salt;
}
