/**
 * Runs the CLI in-process (main() with injected io) or as a child process, against temp vaults
 * with the fast test KDF.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../main/cli/index';
import type { CliIo, InterruptSource } from '../../../main/cli/io';

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
  /** Piped to stdin (which then ends); without it stdin stays open and empty. */
  stdin?: string;
  /** Ctrl-C for this run (default: the test process's SIGINT, never sent). */
  interrupts?: InterruptSource;
}

/**
 * Ctrl-C on demand for in-process runs. The real SIGINT path is exercised by the child-process
 * tests; this lets a test press Ctrl-C at an exact moment without signalling the test runner.
 */
export class ManualInterrupts implements InterruptSource {
  private readonly handlers = new Set<() => void>();
  onInterrupt(handler: () => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  get listening(): boolean {
    return this.handlers.size > 0;
  }
  fire(): void {
    for (const h of [...this.handlers]) h();
  }
}

export function tempDir(prefix = 'bulwark-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sink(): { write(s: string | Uint8Array): boolean; text(): string } {
  const chunks: Buffer[] = [];
  return {
    write(s: string | Uint8Array) {
      chunks.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));
      return true;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
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
    if (opts.stdin !== undefined) stdin.end(opts.stdin);
    const env = { ...this.baseEnv(), ...opts.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const io: CliIo = { stdout, stderr, env, stdin, cwd: opts.cwd ?? this.dir, home: opts.home ?? this.dir, platform: 'linux' };
    if (opts.interrupts) io.interrupts = opts.interrupts;
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
  const c = startChild(args, env);
  c.child.stdin.end(stdin);
  return c.done;
}

export interface StartedChild {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when the process has exited; code is 128+N when it died of signal N. */
  done: Promise<RunResult>;
  /** stderr so far (to wait for a progress line before sending a signal). */
  stderr(): string;
}

/** The CLI as a child process that a test can signal (stdin left open: end it yourself). */
export function startChild(args: string[], env: Record<string, string>): StartedChild {
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
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 + os.constants.signals[signal] : -1), stdout, stderr }));
  });
  return { child, done, stderr: () => stderr };
}

/** Polls until `check` holds (a progress line appeared, a listener is installed...). */
/** A loopback port nothing listens on: a host there is unreachable at once (connection refused). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
