/** Shared fixtures for the SSH engine tests: keys, an in-memory vault, temp dirs, tools. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedKey, utils } from 'ssh2';
import { expect } from 'vitest';
import { BulwarkError, type ErrorCode } from '../../../shared/errors';
import { type HostKeyVault, HostKeyStore, SshEngine, type SshEngineOptions } from '../../../main/services/ssh';

export interface KeyPair {
  /** OpenSSH private key text. */
  private: string;
  /** "ssh-ed25519 AAAA..." */
  public: string;
  parsed: ParsedKey;
  /** The public key blob. */
  blob: Buffer;
}

/**
 * ssh2's ed25519 generator yields a key its own parser rejects about 1 time in 256 (mscdex/ssh2
 * issues 1390, 1513): generate until it parses.
 */
export function makeKey(opts: { passphrase?: string; comment?: string } = {}): KeyPair {
  for (let i = 0; i < 20; i++) {
    const kp = opts.passphrase
      ? utils.generateKeyPairSync('ed25519', { passphrase: opts.passphrase, cipher: 'aes256-ctr', comment: opts.comment ?? 'test' })
      : utils.generateKeyPairSync('ed25519', { comment: opts.comment ?? 'test' });
    const parsed = utils.parseKey(kp.private, opts.passphrase);
    const pub = utils.parseKey(kp.public);
    if (parsed instanceof Error || pub instanceof Error || Array.isArray(parsed)) continue;
    return { private: kp.private, public: kp.public, parsed: pub as ParsedKey, blob: (pub as ParsedKey).getPublicSSH() };
  }
  throw new Error('could not generate a parseable ed25519 key');
}

/** The HostKeyVault interface over a Map, for tests that do not need encryption. */
export class MemoryVault implements HostKeyVault {
  readonly rows = new Map<string, Map<string, unknown>>();
  list<T>(kind: string): T[] {
    return [...(this.rows.get(kind)?.values() ?? [])].map((v) => structuredClone(v) as T);
  }
  put(kind: string, id: string, value: unknown): void {
    if (!this.rows.has(kind)) this.rows.set(kind, new Map());
    this.rows.get(kind)!.set(id, structuredClone(value));
  }
  putMany(kind: string, entries: { id: string; value: unknown }[]): void {
    for (const e of entries) this.put(kind, e.id, e.value);
  }
  delete(kind: string, ids: string[]): number {
    let n = 0;
    for (const id of ids) if (this.rows.get(kind)?.delete(id)) n++;
    return n;
  }
  transaction<T>(fn: () => T): T {
    return fn();
  }
}

export function tempDir(prefix = 'bulwark-ssh-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function hasTool(path: string): boolean {
  return existsSync(path);
}

export const SSH_KEYGEN = '/usr/bin/ssh-keygen';
export const SSH_AGENT = '/usr/bin/ssh-agent';
export const SSH_ADD = '/usr/bin/ssh-add';
export const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function expectCode(p: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<BulwarkError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(BulwarkError);
  const err = caught as BulwarkError;
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  return err;
}

/** An engine with fast timeouts for tests; remember to dispose(). */
export function makeEngine(opts: Partial<SshEngineOptions> & { hostKeys?: HostKeyStore } = {}): SshEngine {
  return new SshEngine({
    hostKeys: opts.hostKeys ?? new HostKeyStore(new MemoryVault()),
    credentials: opts.credentials ?? (() => ({})),
    readyTimeoutMs: 5000,
    keepaliveIntervalMs: 0,
    ...opts,
  });
}

export async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
