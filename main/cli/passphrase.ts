/**
 * Where secrets come from. In order: a file named by an option (first line), an environment
 * variable, an interactive no-echo prompt on a terminal. NEVER the command line: argv is visible
 * to every user on the machine (ps, /proc/PID/cmdline) and lands in shell history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError, usageError } from './errors';
import { ExitCode } from './exit-codes';
import { cwdOf, type CliIo, type SecretInput, type TextSink } from './io';

export interface SecretSpec {
  /** What the secret is, for messages: "passphrase", "new passphrase", "recovery key"... */
  what: string;
  /** The value of the --xxx-file option, if given. */
  file?: string | undefined;
  /** The option's name for messages, e.g. "--passphrase-file". */
  fileOption: string;
  /** Environment variable to read, e.g. BULWARK_PASSPHRASE. */
  envVar: string;
  /** Prompt shown on the terminal. */
  prompt: string;
  /** Ask twice on a terminal and require both to match (new passphrases). */
  confirm?: boolean;
}

/** Overridable for tests; the default reads a line from a TTY without echo. */
export type HiddenPrompt = (input: SecretInput, output: TextSink, prompt: string) => Promise<string>;

export interface SecretContext {
  io: CliIo;
  prompt?: HiddenPrompt;
  /** Where warnings go (stderr). */
  warn(message: string): void;
}

export async function readSecret(ctx: SecretContext, spec: SecretSpec): Promise<string> {
  if (spec.file !== undefined) return readSecretFile(ctx, spec);
  const fromEnv = ctx.io.env[spec.envVar];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!ctx.io.stdin.isTTY) {
    throw usageError(
      `no ${spec.what} available: use ${spec.fileOption} FILE or set ${spec.envVar} ` +
        `(stdin is not a terminal, so bulwark cannot prompt)`,
    );
  }
  return askOnTerminal(ctx, spec.what, spec.prompt, spec.confirm === true);
}

/** The no-echo prompt (twice with `confirm`); the caller has checked that stdin is a terminal. */
export async function askOnTerminal(ctx: Pick<SecretContext, 'io' | 'prompt'>, what: string, prompt: string, confirm: boolean): Promise<string> {
  const ask = ctx.prompt ?? promptHidden;
  const first = await ask(ctx.io.stdin, ctx.io.stderr, `${prompt}: `);
  if (first === '') throw usageError(`no ${what} entered`);
  if (confirm) {
    const again = await ask(ctx.io.stdin, ctx.io.stderr, `Repeat the ${what}: `);
    if (again !== first) throw new CliError(ExitCode.VALIDATION, `the two ${what}s do not match`);
  }
  return first;
}

function readSecretFile(ctx: SecretContext, spec: SecretSpec): string {
  const file = path.resolve(cwdOf(ctx.io), spec.file!);
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw usageError(`${spec.fileOption}: ${spec.file} is not a regular file`);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      ctx.warn(`warning: ${spec.file} is readable by other users; chmod 600 it`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(ExitCode.FAILURE, `${spec.fileOption}: cannot read ${spec.file} (${code})`);
  }
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (firstLine === '') throw usageError(`${spec.fileOption}: the first line of ${spec.file} is empty`);
  return firstLine;
}

/** Raised when the user presses Ctrl-C at a prompt. */
export class Interrupted extends CliError {
  constructor() {
    super(ExitCode.INTERRUPTED, 'interrupted');
  }
}

/**
 * Reads one line from a terminal with echo off (raw mode), handling backspace, Ctrl-U, Ctrl-C
 * and Ctrl-D. Escape sequences (arrow keys) are ignored rather than becoming part of the secret.
 */
export const promptHidden: HiddenPrompt = (input, output, prompt) =>
  new Promise<string>((resolve, reject) => {
    output.write(prompt);
    const wasRaw = input.isRaw === true;
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    let chars: string[] = [];
    let escape = false;

    const finish = (err: Error | null): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(chars.join(''));
    };
    const onEnd = (): void => finish(chars.length ? null : new CliError(ExitCode.USAGE, 'no input (end of file)'));
    const onError = (e: Error): void => finish(e);
    const onData = (chunk: string | Buffer): void => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (escape) {
          // CSI sequences end with a letter or "~"
          if (/[A-Za-z~]/.test(ch)) escape = false;
          continue;
        }
        switch (ch) {
          case '\r':
          case '\n':
            return finish(null);
          case '\u0004': // Ctrl-D
            return chars.length ? finish(null) : finish(new CliError(ExitCode.USAGE, 'no input (end of file)'));
          case '\u0003': // Ctrl-C
            return finish(new Interrupted());
          case '\u007f':
          case '\b':
            chars = chars.slice(0, -1);
            break;
          case '\u0015': // Ctrl-U
            chars = [];
            break;
          case '\u001b':
            escape = true;
            break;
          default:
            if (ch >= ' ') chars.push(ch);
        }
      }
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
