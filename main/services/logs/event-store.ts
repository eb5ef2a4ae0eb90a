/**
 * Security log history in the vault, encrypted like every record (events name users and
 * addresses). Events are kept in segments of up to `segmentEvents`, each one vault record
 * holding its events deflated; one index record lists the segments (receive-time bounds,
 * counts, hosts) and each source's resume position, so listing, retention and choosing which
 * segments a search must open never decrypt the segments themselves.
 *
 * The newest segment stays open and is rewritten on each flush until it is full or ten minutes
 * old: a host logging one line a minute does not leave a segment per flush behind.
 * Retention drops the oldest segments beyond `maxEvents` or older than `maxAgeDays`.
 */
import { randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { BulwarkError } from '../../../shared/errors';
import type { LogEvent, LogEventKind } from '../../../shared/domain/logs';
import type { Vault } from '../vault';
import type { Position } from './follow-stream';

const SEGMENT = 'log-segment';
const INDEX = 'log-index';
const INDEX_ID = 'index';
const OPEN_SEGMENT_MS = 10 * 60_000;

/** An event with the time Bulwark received it (ms): the order of history and of retention. */
export type StoredEvent = LogEvent & { at: number };

interface SegmentMeta {
  id: string;
  from: number;
  to: number;
  count: number;
  hosts: string[];
}

interface Index {
  v: 1;
  segments: SegmentMeta[];
  positions: Record<string, Record<string, Position>>;
  /** Per host, the addresses seen logging in (the new-address alert), oldest first. */
  knownLogins?: Record<string, string[]>;
}

export interface Retention {
  maxEvents: number;
  maxAgeDays: number;
}
export const DEFAULT_RETENTION: Retention = { maxEvents: 1_000_000, maxAgeDays: 30 };

export interface LogQuery {
  hosts?: string[];
  kinds?: LogEventKind[];
  ip?: string;
  user?: string;
  /** Case-insensitive, in the raw line. */
  text?: string;
  /** Receive-time bounds, ms. */
  from?: number;
  to?: number;
  /** Newest first; at most this many. */
  limit: number;
}

function matches(e: StoredEvent, q: LogQuery, text: string | null): boolean {
  if (q.from !== undefined && e.at < q.from) return false;
  if (q.to !== undefined && e.at > q.to) return false;
  if (q.hosts && !q.hosts.includes(e.host)) return false;
  if (q.kinds && !q.kinds.includes(e.kind)) return false;
  if (q.ip !== undefined && e.ip !== q.ip) return false;
  if (q.user !== undefined && e.user !== q.user) return false;
  return text === null || e.raw.toLowerCase().includes(text);
}

export class LogEventStore {
  private index: Index;
  private open: { meta: SegmentMeta; events: StoredEvent[] } | null = null;
  private pending: StoredEvent[] = [];
  private retention: Retention;

  constructor(
    private readonly vault: Vault,
    o: { retention?: Retention; segmentEvents?: number; now?: () => number } = {},
  ) {
    this.retention = o.retention ?? DEFAULT_RETENTION;
    this.segmentEvents = o.segmentEvents ?? 2_000;
    this.now = o.now ?? Date.now;
    // the vault hands out frozen values: this copy is the one kept up to date
    this.index = structuredClone(vault.readOne<Index>(INDEX, INDEX_ID) ?? { v: 1, segments: [], positions: {} });
    const last = this.index.segments[this.index.segments.length - 1];
    if (last && last.count < this.segmentEvents && this.now() - last.from < OPEN_SEGMENT_MS) {
      this.open = { meta: last, events: this.readSegment(last.id) };
    }
  }

  private readonly segmentEvents: number;
  private readonly now: () => number;

  setRetention(r: Retention): void {
    if (!Number.isInteger(r.maxEvents) || r.maxEvents < 1000 || r.maxEvents > 50_000_000) throw new BulwarkError('VALIDATION', 'keep between 1,000 and 50,000,000 events', { maxEvents: 'out of range' });
    if (!Number.isInteger(r.maxAgeDays) || r.maxAgeDays < 1 || r.maxAgeDays > 3650) throw new BulwarkError('VALIDATION', 'keep events for 1 to 3650 days', { maxAgeDays: 'out of range' });
    this.retention = r;
    this.flush();
  }

  /** Takes received events; they reach the vault on the next flush. */
  append(events: readonly LogEvent[], at = this.now()): void {
    for (const e of events) this.pending.push({ ...e, at });
  }

  positions(host: string): Record<string, Position> {
    return { ...(this.index.positions[host] ?? {}) };
  }

  /** Addresses seen logging in to each host, kept with the history (bounded per host). */
  knownLogins(maxPerHost: number): { has(host: string, ip: string): boolean; add(host: string, ip: string): void } {
    const map = (this.index.knownLogins ??= {});
    return {
      has: (host, ip) => map[host]?.includes(ip) ?? false,
      add: (host, ip) => {
        const list = (map[host] ??= []);
        list.push(ip);
        if (list.length > maxPerHost) list.splice(0, list.length - maxPerHost);
      },
    };
  }

  /** Remembered with the next flush, so a position is never ahead of the stored events. */
  setPosition(host: string, source: string, position: Position): void {
    (this.index.positions[host] ??= {})[source] = position;
  }

  /** Writes pending events (filling the open segment, opening new ones) and applies retention, in one transaction. */
  flush(): void {
    const writes: Array<{ id: string; value: unknown }> = [];
    const events = this.pending;
    this.pending = [];
    let i = 0;
    while (i < events.length) {
      if (!this.open || this.open.meta.count >= this.segmentEvents || this.now() - this.open.meta.from >= OPEN_SEGMENT_MS) {
        const first = events[i]!;
        this.open = { meta: { id: randomUUID(), from: first.at, to: first.at, count: 0, hosts: [] }, events: [] };
        this.index.segments.push(this.open.meta);
      }
      const o = this.open;
      const take = events.slice(i, i + (this.segmentEvents - o.meta.count));
      i += take.length;
      o.events.push(...take);
      o.meta.count = o.events.length;
      o.meta.to = take[take.length - 1]!.at;
      for (const e of take) if (!o.meta.hosts.includes(e.host)) o.meta.hosts.push(e.host);
      const existing = writes.findIndex((w) => w.id === o.meta.id);
      const value = { v: 1, z: deflateRawSync(JSON.stringify(o.events), { level: 1 }).toString('base64') };
      if (existing >= 0) writes[existing] = { id: o.meta.id, value };
      else writes.push({ id: o.meta.id, value });
    }
    const dropped = this.expired();
    this.vault.transaction(() => {
      if (writes.length) this.vault.putMany(SEGMENT, writes);
      if (dropped.length) this.vault.delete(SEGMENT, dropped);
      this.vault.put(INDEX, INDEX_ID, this.index);
    });
  }

  /** Oldest segments beyond the count or the age limit, taken out of the index. */
  private expired(): string[] {
    const cutoff = this.now() - this.retention.maxAgeDays * 86_400_000;
    let total = this.index.segments.reduce((n, s) => n + s.count, 0);
    const out: string[] = [];
    while (this.index.segments.length > 1) {
      const oldest = this.index.segments[0]!;
      if (oldest.to >= cutoff && total <= this.retention.maxEvents) break;
      out.push(oldest.id);
      total -= oldest.count;
      this.index.segments.shift();
    }
    return out;
  }

  private readSegment(id: string): StoredEvent[] {
    const rec = this.vault.readOne<{ v: 1; z: string }>(SEGMENT, id);
    if (!rec) return [];
    return JSON.parse(inflateRawSync(Buffer.from(rec.z, 'base64')).toString('utf8')) as StoredEvent[];
  }

  /** Newest first: opens only the segments whose bounds and hosts can match, newest segment first. */
  query(q: LogQuery): StoredEvent[] {
    const text = q.text ? q.text.toLowerCase() : null;
    const out: StoredEvent[] = [];
    const unsaved = this.pending.filter((e) => matches(e, q, text)).reverse();
    out.push(...unsaved.slice(0, q.limit));
    for (let k = this.index.segments.length - 1; k >= 0 && out.length < q.limit; k--) {
      const s = this.index.segments[k]!;
      if ((q.from !== undefined && s.to < q.from) || (q.to !== undefined && s.from > q.to)) continue;
      if (q.hosts && !s.hosts.some((h) => q.hosts!.includes(h))) continue;
      const events = this.open && this.open.meta.id === s.id ? this.open.events : this.readSegment(s.id);
      for (let j = events.length - 1; j >= 0 && out.length < q.limit; j--) if (matches(events[j]!, q, text)) out.push(events[j]!);
    }
    return out;
  }

  stats(): { events: number; segments: number; oldest: number | null; newest: number | null; pending: number } {
    const segs = this.index.segments;
    return {
      events: segs.reduce((n, s) => n + s.count, 0),
      segments: segs.length,
      oldest: segs[0]?.from ?? null,
      newest: segs[segs.length - 1]?.to ?? null,
      pending: this.pending.length,
    };
  }
}
