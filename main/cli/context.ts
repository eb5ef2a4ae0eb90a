/**
 * Per-invocation state shared by the commands: io, output mode, where the vault is, how to get
 * secrets, and opening/unlocking the vault with guaranteed close.
 */
import fs from 'node:fs';
import path from 'node:path';
import { estimateStrength, MIN_ACCEPTED_SCORE } from '../../shared/passphrase';
import { BulwarkError } from '../../shared/errors';
import { defaultVaultPath } from '../services/paths';
import { cwdOf, homeOf, type CliIo } from './io';
import { isYes, promptLine } from './confirm';
import { Output } from './output';
import { askOnTerminal, readSecret, type HiddenPrompt, type SecretSpec } from './passphrase';
import { openVault, type OpenOptions, type VaultHandle } from './services';

export interface GlobalOptions {
  vault?: string;
  json?: boolean;
  passphraseFile?: string;
}

export const ENV = {
  passphrase: 'BULWARK_PASSPHRASE',
  newPassphrase: 'BULWARK_NEW_PASSPHRASE',
  exportPassphrase: 'BULWARK_EXPORT_PASSPHRASE',
  recoveryKey: 'BULWARK_RECOVERY_KEY',
  testKdf: 'BULWARK_TEST_KDF',
} as const;

export class CliContext {
  readonly out: Output;

  constructor(
    readonly io: CliIo,
    readonly opts: GlobalOptions,
    private readonly prompt?: HiddenPrompt,
    /** The whole command line as main() got it (`ssh exec` checks where `--` is). */
    readonly argv: readonly string[] = [],
  ) {
    this.out = new Output(io.stdout, io.stderr, opts.json === true);
  }

  /** --vault beats $BULWARK_VAULT beats the platform default. */
  vaultPath(): string {
    const p = this.opts.vault ?? defaultVaultPath(this.io.env, this.io.platform ?? process.platform, homeOf(this.io));
    return path.resolve(cwdOf(this.io), p);
  }

  resolveFile(file: string): string {
    return path.resolve(cwdOf(this.io), file);
  }

  secret(spec: SecretSpec): Promise<string> {
    const ctx = { io: this.io, warn: (m: string) => this.out.note(m) };
    return readSecret(this.prompt ? { ...ctx, prompt: this.prompt } : ctx, spec);
  }

  /** The vault passphrase, from --passphrase-file, $BULWARK_PASSPHRASE or a prompt. */
  passphrase(prompt = 'Vault passphrase', confirm = false): Promise<string> {
    return this.secret({
      what: 'passphrase',
      file: this.opts.passphraseFile,
      fileOption: '--passphrase-file',
      envVar: ENV.passphrase,
      prompt,
      confirm,
    });
  }

  /** A secret typed at the terminal without echo (asked twice with `confirm`); stdin must be a TTY. */
  askHidden(what: string, prompt: string, confirm = false): Promise<string> {
    return askOnTerminal({ io: this.io, ...(this.prompt ? { prompt: this.prompt } : {}) }, what, prompt, confirm);
  }

  /** Asks on the terminal (stderr) and returns whether the answer was yes; stdin must be a TTY. */
  async confirm(question: string): Promise<boolean> {
    const ask = this.prompt ?? promptLine;
    return isYes(await ask(this.io.stdin, this.io.stderr, `${question} [y/N] `));
  }

  /** Opens the vault file (which must exist), without unlocking it. Caller closes. */
  openExisting(options: OpenOptions = {}): VaultHandle {
    const file = this.vaultPath();
    if (!fs.existsSync(file)) {
      throw new BulwarkError('VAULT_ABSENT', `no vault at ${file} (create one with "bulwark vault init", or pass --vault PATH)`);
    }
    return openVault(file, this.io.env, options);
  }

  /** Opens and unlocks the vault, runs fn, and always closes the vault afterwards. */
  async withUnlocked<T>(fn: (handle: VaultHandle, passphrase: string) => Promise<T> | T, options: OpenOptions = {}): Promise<T> {
    const handle = this.openExisting(options);
    try {
      const passphrase = await this.passphrase();
      handle.vault.unlock(passphrase);
      return await fn(handle, passphrase);
    } finally {
      await handle.close();
    }
  }
}

/** Refuses a passphrase estimateStrength calls weak, passing on its feedback. */
export function requireStrong(passphrase: string, what = 'passphrase'): void {
  const s = estimateStrength(passphrase);
  if (s.score < MIN_ACCEPTED_SCORE) {
    throw new BulwarkError('WEAK_PASSPHRASE', `the ${what} is too weak (about ${s.bits} bits of entropy): ${s.feedback}`);
  }
}
