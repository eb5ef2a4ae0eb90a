/**
 * Follows many hosts at once and hands their events on in batches: every `flushMs` the pending
 * events of all hosts are taken round-robin, so a host flooding its log never delays the
 * others' events behind its own. Each host's pending queue is bounded; what does not fit is
 * dropped and counted (shown next to the host's stream state), never buffered without limit.
 */
import type { LogEvent } from '../../../shared/domain/logs';
import type { SshEngine, SshTarget } from '../ssh';
import type { Position } from './follow-stream';
import { type FollowState, HostFollower } from './host-follower';

export interface FollowedHost {
  name: string;
  target: SshTarget;
  sudoPassword?: string | undefined;
  positions?: Record<string, Position>;
}

export interface HostStreamStatus {
  host: string;
  state: FollowState;
  received: number;
  dropped: number;
}

export interface CollectorOptions {
  /** An engine for log streams only: each follower holds up to two channels for as long as it runs. */
  engine: SshEngine;
  onBatch: (events: LogEvent[]) => void;
  onStatus?: (s: HostStreamStatus) => void;
  onPosition?: (host: string, source: string, position: Position) => void;
  maxPendingPerHost?: number;
  flushMs?: number;
  /** How often changed `received` counts are reported when nothing else about a stream changed. */
  countsMs?: number;
  backoff?: { firstMs: number; maxMs: number };
}

interface Entry {
  follower: HostFollower;
  pending: LogEvent[];
  status: HostStreamStatus;
  /** `received` as last reported through onStatus. */
  reported: number;
}

export class LogCollector {
  private readonly hosts = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;
  private readonly maxPending: number;
  private countsReportedAt = 0;

  constructor(private readonly o: CollectorOptions) {
    this.maxPending = o.maxPendingPerHost ?? 20_000;
    this.timer = setInterval(() => this.flush(), o.flushMs ?? 50);
    this.timer.unref();
  }

  follow(h: FollowedHost): void {
    if (this.hosts.has(h.name)) return;
    const status: HostStreamStatus = { host: h.name, state: { state: 'connecting' }, received: 0, dropped: 0 };
    const entry: Entry = {
      status,
      reported: 0,
      pending: [],
      follower: new HostFollower({
        engine: this.o.engine,
        target: h.target,
        host: h.name,
        sudoPassword: h.sudoPassword,
        ...(h.positions ? { positions: h.positions } : {}),
        ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
        onEvents: (events) => {
          status.received += events.length;
          const room = this.maxPending - entry.pending.length;
          if (events.length > room) {
            status.dropped += events.length - Math.max(0, room);
            this.report(entry);
          }
          for (let i = 0; i < Math.min(room, events.length); i++) entry.pending.push(events[i]!);
        },
        onPosition: (source, position) => this.o.onPosition?.(h.name, source, position),
        onState: (state) => {
          status.state = state;
          this.report(entry);
        },
      }),
    };
    this.hosts.set(h.name, entry);
    entry.follower.start();
  }

  async unfollow(name: string): Promise<void> {
    const e = this.hosts.get(name);
    if (!e) return;
    this.hosts.delete(name);
    await e.follower.close();
    this.deliver(e.pending);
  }

  statuses(): HostStreamStatus[] {
    return [...this.hosts.values()].map((e) => ({ ...e.status }));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.hosts.keys()].map((n) => this.unfollow(n)));
  }

  /** Round-robin over hosts, a bounded slice each, so one host's backlog waits its turn. */
  flush(): void {
    const batch: LogEvent[] = [];
    const slice = 2_000;
    let more = true;
    while (more && batch.length < 20_000) {
      more = false;
      for (const e of this.hosts.values()) {
        if (!e.pending.length) continue;
        batch.push(...e.pending.splice(0, slice));
        if (e.pending.length) more = true;
      }
    }
    this.deliver(batch);
    this.reportCounts();
  }

  /** Counts change with every event: they are reported at most once per `countsMs`, only when changed. */
  private reportCounts(): void {
    const now = Date.now();
    if (now - this.countsReportedAt < (this.o.countsMs ?? 1_000)) return;
    this.countsReportedAt = now;
    for (const e of this.hosts.values()) if (e.status.received !== e.reported) this.report(e);
  }

  private report(e: Entry): void {
    e.reported = e.status.received;
    this.o.onStatus?.({ ...e.status });
  }

  private deliver(events: LogEvent[]): void {
    if (events.length) this.o.onBatch(events);
  }
}
