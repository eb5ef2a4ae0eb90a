/**
 * One command on an established connection: stdout, stderr, exit code and signal kept apart,
 * output capped, with timeout, AbortSignal and connection loss as typed errors.
 */
import type { ClientChannel } from 'ssh2';
import { BulwarkError } from '../../../shared/errors';
import { type Connected, closedUnder } from './connect';
import { type Hop, aborted, describeHop, isRetryable, retryable, sshError, timedOut } from './errors';
import { shellQuote } from './quote';

export interface ExecOptions {
  /** From the moment the command is sent; connecting is bounded by the engine's readyTimeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Written to the command's stdin, which is then closed (it is always closed). */
  stdin?: string | Buffer;
  /** More stdin, decided from what the command printed first; stdin stays open until then. */
  reply?: StdinReply;
  /**
   * Streams stdout here as it arrives instead of collecting it (the result's stdout is then
   * empty): for commands that run until stopped, such as log followers.
   */
  onStdout?: (chunk: Buffer) => void;
  /**
   * Non-secret variables, set with `env NAME=value sh -c ...` (sshd drops most env requests).
   * They are visible in the remote process list: names that look like secrets are refused.
   */
  env?: Record<string, string>;
  /** Per stream; output beyond it is dropped and flagged. Default: the engine's. */
  maxOutputBytes?: number;
}

/**
 * A conversation in one exec: once stdout contains `after`, `write` gets everything printed so
 * far and returns the rest of stdin, which is written and stdin closed (null: close it). If the
 * command ends first, `write` is never called. A rejection ends the command and the exec fails
 * with it.
 */
export interface StdinReply {
  after: string;
  write: (stdoutSoFar: Buffer) => Promise<string | Buffer | null>;
}

export interface RawExecResult {
  stdout: Buffer;
  stderr: Buffer;
  /** Exit status, or null when the command died of a signal or none was reported. */
  code: number | null;
  /** e.g. "SIGKILL" when the command died of a signal. */
  signal: string | null;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_LIKE = /PASS|SECRET|TOKEN|KEY|CRED|AUTH|PRIVATE|SESSION|COOKIE/i;

/** The command with `env` assignments in front, or the command itself when env is empty. */
export function withEnv(command: string, env: Record<string, string> | undefined): string {
  const entries = Object.entries(env ?? {});
  if (entries.length === 0) return command;
  const parts = ['env'];
  for (const [name, value] of entries) {
    if (!ENV_NAME.test(name)) throw new BulwarkError('VALIDATION', `Invalid environment variable name "${name.slice(0, 40)}"`, { env: 'invalid name' });
    if (SECRET_LIKE.test(name)) {
      throw new BulwarkError(
        'VALIDATION',
        `Refusing to pass ${name} in the environment: secrets are visible there (ps, /proc). Write them to stdin instead.`,
        { env: 'looks like a secret' },
      );
    }
    if (typeof value !== 'string') throw new BulwarkError('VALIDATION', `Environment value of ${name} must be a string`, { env: 'invalid value' });
    parts.push(shellQuote(`${name}=${value}`));
  }
  return `${parts.join(' ')} sh -c ${shellQuote(command)}`;
}

class Capped {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(d: Buffer): void {
    const room = this.max - this.size;
    if (room <= 0) {
      if (d.length) this.truncated = true;
      return;
    }
    const part = d.length > room ? d.subarray(0, room) : d;
    if (part.length < d.length) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }
  value(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

/** Why a channel could not be opened: retryable when the (reused) connection is dead. */
export function channelOpenError(err: Error & { reason?: unknown }, hop: Hop, what: string): BulwarkError {
  const msg = err.message ?? '';
  // "Not connected": nothing was sent. "No response from server": the connection closed while
  // the channel was still being opened, so no command request had gone out.
  if (/Not connected|No response from server/i.test(msg)) {
    return retryable(sshError('SSH_CONNECTION_LOST', hop, `Connection to ${describeHop(hop)} was closed before ${what} started`));
  }
  if (/Unable to exec|Unable to start subsystem/i.test(msg)) {
    return sshError('SSH_PROTOCOL', hop, `${describeHop(hop)} refused to start ${what}`);
  }
  return sshError('SSH_PROTOCOL', hop, `${describeHop(hop)} refused a session for ${what} (too many sessions? MaxSessions)`);
}

/**
 * Asks the server to SIGKILL the command (a "signal" channel request; OpenSSH >= 7.9 honours
 * it). Without a pty, closing the channel alone leaves the remote process running until it
 * next writes. ssh2's channel.signal() refuses once stdin was closed (we always close it), so
 * the request is sent through the channel's protocol object directly.
 */
function killRemote(ch: ClientChannel): void {
  const c = ch as unknown as {
    outgoing?: { id: number; state: string };
    _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
  };
  try {
    if (c.outgoing && (c.outgoing.state === 'open' || c.outgoing.state === 'eof')) c._client?._protocol?.signal?.(c.outgoing.id, 'KILL');
  } catch {
    // the connection is already gone
  }
}

export interface RunOptions extends Omit<ExecOptions, 'env'> {
  maxOutputBytes: number;
  /** For messages: "command", "sudo command". */
  what?: string;
}

export function runCommand(conn: Connected, command: string, opts: RunOptions): Promise<RawExecResult> {
  const hop = conn.hop;
  const what = opts.what ?? 'command';
  return new Promise<RawExecResult>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(aborted(hop, what));
    const out = new Capped(opts.maxOutputBytes);
    const err = new Capped(opts.maxOutputBytes);
    let channel: ClientChannel | undefined;
    let code: number | null = null;
    let signal: string | null = null;
    let done = false;
    let timer: NodeJS.Timeout | undefined;

    const cleanup = () => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      conn.client.removeListener('close', onConnClose);
    };
    const fail = (e: BulwarkError) => {
      if (done) return;
      done = true;
      cleanup();
      if (channel) {
        killRemote(channel);
        channel.close();
      }
      reject(e);
    };
    const onAbort = () => fail(aborted(hop, what));
    let connClosed = false;
    const onConnClose = () => {
      connClosed = true;
      if (channel) return fail(closedUnder(conn, what));
      // Not started yet: ssh2 reports the pending channel next; its error says whether the
      // command could have been sent (only if not is it safe to retry on a new connection).
      setImmediate(() => fail(closedUnder(conn, what)));
    };

    opts.signal?.addEventListener('abort', onAbort, { once: true });
    conn.client.on('close', onConnClose);
    if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
      const ms = opts.timeoutMs;
      timer = setTimeout(() => fail(timedOut(hop, what, ms)), ms);
    }
    try {
      conn.client.exec(command, (e, ch) => {
        if (done) {
          // timed out or aborted while the channel was opening: the command may have started
          if (ch) {
            killRemote(ch);
            ch.close();
          }
          return;
        }
        if (e) {
          const mapped = channelOpenError(e, hop, what);
          return fail(connClosed && !isRetryable(mapped) ? closedUnder(conn, what) : mapped);
        }
        channel = ch;
        ch.on('error', () => {
          // write after the remote closed stdin; the outcome is decided by exit/close
        });
        let awaiting = opts.reply ? Buffer.from(opts.reply.after, 'utf8') : null;
        let tail = Buffer.alloc(0);
        ch.on('data', (d: Buffer) => {
          if (opts.onStdout) return opts.onStdout(d);
          out.push(d);
          if (!awaiting || !opts.reply) return;
          // the marker may straddle chunks: search the end of the last one with this one
          const seen = Buffer.concat([tail, d]);
          if (!seen.includes(awaiting)) {
            tail = seen.subarray(Math.max(0, seen.length - awaiting.length + 1));
            return;
          }
          awaiting = null;
          opts.reply.write(out.value()).then(
            (more) => {
              if (done) return;
              if (more !== null && more.length > 0) ch.end(more);
              else ch.end();
            },
            (e: unknown) => fail(e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', e instanceof Error ? e.message : String(e))),
          );
        });
        ch.stderr.on('data', (d: Buffer) => err.push(d));
        ch.on('exit', (c: number | null, s?: string) => {
          code = typeof c === 'number' ? c : null;
          signal = typeof s === 'string' ? s : null;
        });
        ch.on('close', () => {
          if (done) return;
          done = true;
          cleanup();
          resolve({ stdout: out.value(), stderr: err.value(), code, signal, stdoutTruncated: out.truncated, stderrTruncated: err.truncated });
        });
        const input = opts.stdin !== undefined && opts.stdin.length > 0 ? opts.stdin : null;
        if (opts.reply) {
          if (input) ch.write(input);
        } else if (input) ch.end(input);
        else ch.end();
      });
    } catch (e) {
      fail(channelOpenError(e as Error, hop, what));
    }
  });
}
