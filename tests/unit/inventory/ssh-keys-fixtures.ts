/**
 * Throwaway private keys made with the real ssh-keygen at test time, in the test's own temp
 * directory (nothing is committed). Their passphrases are test values, so argv is fine here.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KeyOptions {
  type?: 'ed25519' | 'rsa' | 'ecdsa';
  passphrase?: string;
  /** 'pem' writes a legacy PEM (PKCS#1/SEC1) file, which carries no public key of its own. */
  format?: 'openssh' | 'pem';
  mode?: number;
  /** Keep the .pub companion ssh-keygen writes (removed by default). */
  keepPub?: boolean;
}

/** Creates a key at `path`; returns its SHA256 fingerprint as ssh-keygen prints it. */
export function makeKey(path: string, o: KeyOptions = {}): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const type = o.type ?? 'ed25519';
  const args = ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '3072'] : []), '-N', o.passphrase ?? '', '-C', 'test@bulwark', '-f', path];
  if (o.format === 'pem') args.push('-m', 'PEM');
  execFileSync('ssh-keygen', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${path}.pub`], { encoding: 'utf8', timeout: 30_000 }).split(' ')[1]!;
  if (!o.keepPub) rmSync(`${path}.pub`);
  chmodSync(path, o.mode ?? 0o600);
  return fingerprint;
}

/** The public key ssh-keygen derives from a private key file (to compare with the vault's). */
export function publicKeyOf(path: string, passphrase = ''): string {
  return execFileSync('ssh-keygen', ['-y', '-P', passphrase, '-f', path], { encoding: 'utf8', timeout: 30_000 })
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ');
}

export function textOf(path: string): string {
  return readFileSync(path, 'utf8');
}
