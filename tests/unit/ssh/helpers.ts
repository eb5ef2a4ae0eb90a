/** Shared fixtures for the SSH engine tests: keys, an in-memory vault, temp dirs, tools. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedKey, utils } from 'ssh2';
import { afterAll } from 'vitest';
import { HostKeyStore, SshEngine, type SshEngineOptions } from '../../../main/services/ssh';
import { Vault } from '../../../main/services/vault';
export { expectRejects as expectCode } from '../../helpers/expect-error';

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

const vaults: { vault: Vault; dir: string }[] = [];

/**
 * A real, unlocked vault in a temp dir (fast scrypt: a test-only setting the vault accepts under
 * vitest). Closed and removed by closeTestVaults().
 */
export function testVault(): Vault {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-ssh-vault-'));
  const vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
  vault.create('granite orbit lantern 47 meadow');
  vaults.push({ vault, dir });
  return vault;
}

export function closeTestVaults(): void {
  for (const { vault, dir } of vaults.splice(0)) {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

afterAll(closeTestVaults);

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


/** An engine with fast timeouts for tests; remember to dispose(). */
export function makeEngine(opts: Partial<SshEngineOptions> & { hostKeys?: HostKeyStore } = {}): SshEngine {
  return new SshEngine({
    hostKeys: opts.hostKeys ?? new HostKeyStore(testVault()),
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
