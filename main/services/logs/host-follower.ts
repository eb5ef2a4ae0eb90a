/**
 * Follows every log source of one host until stopped: probe, one stream per source, and when
 * any stream ends (dropped connection, sshd restart, reboot) the others are stopped too and
 * everything starts again after a backoff, each source from where it stopped (journald cursor,
 * file inode and offset). Errors that retrying cannot fix (a changed host key, refused
 * credentials or sudo) stop the follower with the reason.
 */
import { BulwarkError } from '../../../shared/errors';
import type { LogEvent } from '../../../shared/domain/logs';
import type { SshEngine, SshTarget } from '../ssh';
import { fileFollowCommand, journalFollowCommand } from './follow-commands';
import { FollowStream, type Position } from './follow-stream';
import { PROBE_COMMAND, type SourceSpec, planSources } from './sources';

export type FollowState =
  | { state: 'connecting' }
  | { state: 'streaming'; sources: string[] }
  | { state: 'reconnecting'; reason: string; retryInMs: number; attempt: number }
  | { state: 'error'; reason: string }
  | { state: 'stopped' };

export interface HostFollowerOptions {
  engine: SshEngine;
  target: SshTarget;
  /** The inventory name events carry. */
  host: string;
  sudoPassword?: string | undefined;
  /** Where each source stopped last time (by source name), e.g. from the vault. */
  positions?: Record<string, Position>;
  onEvents: (events: LogEvent[]) => void;
  /** The position after the events just delivered, to persist. */
  onPosition?: (source: string, position: Position) => void;
  onState: (s: FollowState) => void;
  backoff?: { firstMs: number; maxMs: number };
}

const PERMANENT = new Set(['HOST_KEY_CHANGED', 'UNKNOWN_HOST_KEY', 'SSH_AUTH_FAILED', 'SUDO_AUTH_FAILED', 'SUDO_DENIED', 'NOT_FOUND', 'VALIDATION']);
/** A stream that ran this long was healthy: the next failure starts the backoff over. */
const HEALTHY_MS = 30_000;
/**
 * A journal follower shows no record when the journal holds none for its match (a fresh host):
 * after this long it is taken as established anyway.
 */
const QUIET_JOURNAL_MS = 5_000;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class HostFollower {
  private readonly stop = new AbortController();
  private readonly positions: Record<string, Position>;
  private done: Promise<void> | undefined;

  constructor(private readonly o: HostFollowerOptions) {
    this.positions = { ...(o.positions ?? {}) };
  }

  start(): void {
    this.done ??= this.loop();
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.done;
  }

  private async loop(): Promise<void> {
    const { firstMs, maxMs } = this.o.backoff ?? { firstMs: 1000, maxMs: 30_000 };
    let attempt = 0;
    while (!this.stop.signal.aborted) {
      this.o.onState({ state: 'connecting' });
      const t0 = Date.now();
      let reason: string;
      try {
        reason = await this.runOnce();
      } catch (e) {
        if (this.stop.signal.aborted) break;
        if (e instanceof BulwarkError && PERMANENT.has(e.code)) {
          this.o.onState({ state: 'error', reason: e.message });
          return;
        }
        reason = message(e);
      }
      if (this.stop.signal.aborted) break;
      attempt = Date.now() - t0 >= HEALTHY_MS ? 1 : attempt + 1;
      const retryInMs = Math.min(maxMs, firstMs * 2 ** (attempt - 1));
      this.o.onState({ state: 'reconnecting', reason, retryInMs, attempt });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, retryInMs);
        this.stop.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
    this.o.onState({ state: 'stopped' });
  }

  /** One connection's worth: resolves with why the streams ended. */
  private async runOnce(): Promise<string> {
    const { engine, target } = this.o;
    const probe = await engine.exec(target, PROBE_COMMAND, { timeoutMs: 20_000, signal: this.stop.signal });
    const plan = planSources(probe.stdout, this.o.host);
    const round = new AbortController();
    const onStop = () => round.abort();
    this.stop.signal.addEventListener('abort', onStop, { once: true });
    try {
      // "streaming" only once every source reads from a fixed place: before that (login, sudo,
      // the follow script starting) a first start could still miss lines written meanwhile
      const established: (() => void)[] = [];
      const ready = plan.sources.map(() => new Promise<void>((resolve) => established.push(resolve)));
      const ends = plan.sources.map((spec, i) => this.follow(spec, plan.timeZone, plan.machineId, round.signal, established[i]!));
      void Promise.all(ready).then(() => {
        if (!round.signal.aborted) this.o.onState({ state: 'streaming', sources: plan.sources.map((s) => s.source) });
      });
      // the first stream to end ends the round: the others are stopped and all resume together
      return await Promise.race(ends);
    } finally {
      round.abort();
      this.stop.signal.removeEventListener('abort', onStop);
    }
  }

  private async follow(spec: SourceSpec, timeZone: string | undefined, machineId: string | undefined, signal: AbortSignal, onEstablished: () => void): Promise<string> {
    const from = this.positions[spec.source] ?? null;
    const stream = new FollowStream(this.o.host, spec, timeZone, from, machineId);
    const command = spec.kind === 'journal' ? journalFollowCommand(from && 'cursor' in from ? from.cursor : null) : fileFollowCommand(spec, from && 'offset' in from ? from : null);
    const quiet = spec.kind === 'journal' ? setTimeout(onEstablished, QUIET_JOURNAL_MS) : undefined;
    const onStdout = (chunk: Buffer) => {
      const events = stream.push(chunk);
      if (stream.established) onEstablished();
      if (stream.position) {
        this.positions[spec.source] = stream.position;
        this.o.onPosition?.(spec.source, stream.position);
      }
      if (events.length) this.o.onEvents(events);
    };
    const opts = { signal, onStdout, maxOutputBytes: 64 * 1024 };
    const r = await (spec.sudo
      ? this.o.engine.sudo(this.o.target, command, { ...opts, ...(this.o.sudoPassword ? { password: this.o.sudoPassword } : {}) })
      : this.o.engine.exec(this.o.target, command, opts)
    ).finally(() => clearTimeout(quiet));
    const err = r.stderr.trim().split('\n').slice(-2).join(' | ');
    return `${spec.source} follower ended (${r.code !== null ? `exit ${r.code}` : `signal ${r.signal ?? '?'}`}${err ? `: ${err}` : ''})`;
  }
}
