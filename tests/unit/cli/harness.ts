/**
 * Runs the CLI in-process (main() with injected io) or as a child process, against temp vaults
 * with the fast test KDF.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../main/cli/index';
import type { CliIo } from '../../../main/cli/io';

export const PASSPHRASE = 'correct horse battery staple 42';
export const OTHER_PASSPHRASE = 'tangerine submarine orbit 1987 violin';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Answers for the no-echo prompt; also makes stdin look like a TTY. */
  prompts?: string[];
  cwd?: string;
  home?: string;
}

export function tempDir(prefix = 'bulwark-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sink(): { write(s: string): boolean; text(): string } {
  let buf = '';
  return {
    write(s: string) {
      buf += s;
      return true;
    },
    text: () => buf,
  };
}

/** A CLI bound to one vault file, with BULWARK_PASSPHRASE set unless overridden. */
export class Cli {
  readonly dir: string;
  readonly vault: string;
  /** Prompts the last run showed. */
  shownPrompts: string[] = [];

  constructor(dir = tempDir()) {
    this.dir = dir;
    this.vault = path.join(dir, 'vault.db');
  }

  baseEnv(): Record<string, string | undefined> {
    return { BULWARK_VAULT: this.vault, BULWARK_PASSPHRASE: PASSPHRASE, BULWARK_TEST_KDF: 'fast', NODE_ENV: 'test' };
  }

  async run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const stdout = sink();
    const stderr = sink();
    const stdin = Object.assign(new PassThrough(), { isTTY: opts.prompts !== undefined });
    const env = { ...this.baseEnv(), ...opts.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const io: CliIo = { stdout, stderr, env, stdin, cwd: opts.cwd ?? this.dir, home: opts.home ?? this.dir, platform: 'linux' };
    const answers = [...(opts.prompts ?? [])];
    this.shownPrompts = [];
    const code = await main(['node', 'bulwark', ...args], io, {
      prompt: async (_in, _out, text) => {
        this.shownPrompts.push(text);
        const a = answers.shift();
        if (a === undefined) throw new Error(`unexpected prompt: ${text}`);
        return a;
      },
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  /** run() that must succeed; returns stdout. */
  async ok(args: string[], opts: RunOptions = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.code !== 0) throw new Error(`bulwark ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  async init(): Promise<string> {
    const out = JSON.parse(await this.ok(['--json', 'vault', 'init'])) as { recoveryKey: string };
    return out.recoveryKey;
  }

  async hosts(extra: string[] = []): Promise<Record<string, unknown>[]> {
    return JSON.parse(await this.ok(['hosts', 'list', '--json', ...extra])) as Record<string, unknown>[];
  }

  write(name: string, text: string, mode = 0o600): string {
    const file = path.join(this.dir, name);
    fs.writeFileSync(file, text, { mode });
    return file;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const REPO = path.resolve(__dirname, '../../..');

/** `node --import tsx main/cli/bin.ts ...` as a real child process. */
export function runChild(args: string[], env: Record<string, string>, stdin = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'main/cli/bin.ts'), ...args], {
      cwd: REPO,
      // NODE_ENV=test lets the Vault accept the fast test KDF in the child.
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NODE_ENV: 'test', BULWARK_TEST_KDF: 'fast', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
