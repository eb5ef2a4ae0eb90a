/** Shared helpers for the key tests: fixtures, ssh-keygen when installed, temp dirs, error checks. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
export { expectCode, expectRejects as expectCodeAsync } from '../../helpers/expect-error';

/** Generated for this run by fixtures/global-setup.ts. */
export const FIXTURES = inject('keyFixturesDir');
/** The passphrase of every encrypted fixture key (see fixtures/make-fixtures.sh). */
export const FIXTURE_PASS = 'fixture-pass';

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function privateFixture(name: string): string {
  return fixture(join('private', name));
}

/** What ssh-keygen said about each fixture key (made with the keys, this run). */
export const EXPECTED: Record<string, { publicKey: string; fingerprintLine: string }> = JSON.parse(fixture('expected.json'));

export const HAVE_SSH_KEYGEN = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore', timeout: 10_000 }).error === undefined;

const dirs: string[] = [];
export function tempDir(prefix = 'bulwark-keys-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** ssh-keygen on a file holding `content`; returns stdout, or throws with stderr. */
export function keygen(args: string[], content: string, mode = 0o600): string {
  const dir = tempDir('bulwark-keygen-');
  const file = join(dir, 'key');
  writeFileSync(file, content, { mode });
  try {
    // a timeout, because a sync child that never exits would block the worker's event loop
    // and with it every vitest timeout (a hang, not a failure)
    return execFileSync('ssh-keygen', [...args, '-f', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `ssh-keygen -lf` of a public key line (or authorized_keys text): one line per key. */
export function keygenFingerprints(text: string): string[] {
  const out = keygen(['-l'], text, 0o644);
  return out === '' ? [] : out.split('\n');
}

/** `ssh-keygen -y`: the public key line of a private key, or null when ssh-keygen refuses it. */
export function keygenPublic(privateKey: string, passphrase = ''): string | null {
  try {
    return keygen(['-y', '-P', passphrase], privateKey);
  } catch {
    return null;
  }
}



/** The first two fields of a public key line (type and base64), without the comment. */
export function typeAndBlob(line: string): string {
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}
