/**
 * Everything the CLI touches in the outside world, injectable so tests run it in-process.
 */
import os from 'node:os';

export interface TextSink {
  /** Text, or raw bytes (a remote command's output is passed through unchanged). */
  write(text: string | Uint8Array): unknown;
}

/** Where Ctrl-C comes from: SIGINT for the real process; tests may inject their own. */
export interface InterruptSource {
  /** Calls `handler` on the next interrupt; the returned function stops listening. */
  onInterrupt(handler: () => void): () => void;
}

/** What the passphrase prompt needs from stdin (process.stdin satisfies it). */
export interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env: Readonly<Record<string, string | undefined>>;
  stdin: SecretInput;
  /** Working directory for relative FILE arguments. Default process.cwd(). */
  cwd?: string;
  /** Home directory (for ~/.ssh/config and the default vault path). Default os.homedir(). */
  home?: string;
  /** Platform for the default vault path. Default process.platform. */
  platform?: NodeJS.Platform;
  /** Ctrl-C during SSH work. Default: the process's SIGINT. */
  interrupts?: InterruptSource;
}

export function realIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };
}

export function homeOf(io: CliIo): string {
  return io.home ?? os.homedir();
}

export function cwdOf(io: CliIo): string {
  return io.cwd ?? process.cwd();
}
