/**
 * What the Logs view computes from the events it holds: the filter, the per-minute chart, the
 * top attacking addresses and the current bans. Pure functions over arrays kept oldest first
 * (the order events arrive in), so they are tested without React or a bridge.
 */
import type { LogEventKind, StoredLogEvent } from '../../../../shared/domain/logs';

/** The store keeps this many events; older ones fall off as new ones arrive. */
export const MAX_EVENTS = 100_000;

export const FAILED_LOGIN_KINDS: readonly LogEventKind[] = ['auth.failed_password', 'auth.invalid_user', 'auth.failed_publickey', 'auth.max_auth_tries'];
export const ACCEPTED_LOGIN_KINDS: readonly LogEventKind[] = ['auth.accepted_password', 'auth.accepted_publickey', 'auth.accepted_keyboard'];
export const BAN_KINDS: readonly LogEventKind[] = ['f2b.ban', 'f2b.restore_ban'];

export const QUICK_VIEWS = {
  failed: { label: 'Failed logins', kinds: FAILED_LOGIN_KINDS },
  accepted: { label: 'Successful logins', kinds: ACCEPTED_LOGIN_KINDS },
  bans: { label: 'Bans', kinds: BAN_KINDS },
} as const;
export type QuickView = keyof typeof QUICK_VIEWS;

export interface LogFilter {
  /** Inventory host names; empty means every host. */
  hosts: readonly string[];
  /** Empty means every kind. */
  kinds: readonly LogEventKind[];
  ip: string;
  user: string;
  text: string;
}

export const emptyFilter = (): LogFilter => ({ hosts: [], kinds: [], ip: '', user: '', text: '' });

export function isFilterEmpty(f: LogFilter): boolean {
  return f.hosts.length === 0 && f.kinds.length === 0 && !f.ip.trim() && !f.user.trim() && !f.text.trim();
}

/**
 * IP and user match as substrings (typing "10.0." finds the subnet), free text anywhere in the
 * raw line; all case-insensitive, because IPv6 and host names are logged in either case.
 */
export function eventMatcher(f: LogFilter): (e: StoredLogEvent) => boolean {
  const hosts = f.hosts.length > 0 ? new Set(f.hosts) : null;
  const kinds = f.kinds.length > 0 ? new Set<string>(f.kinds) : null;
  const ip = f.ip.trim().toLowerCase();
  const user = f.user.trim().toLowerCase();
  const text = f.text.trim().toLowerCase();
  return (e) =>
    (!hosts || hosts.has(e.host)) &&
    (!kinds || kinds.has(e.kind)) &&
    (!ip || (e.ip !== null && e.ip.toLowerCase().includes(ip))) &&
    (!user || (e.user !== null && e.user.toLowerCase().includes(user))) &&
    (!text || e.raw.toLowerCase().includes(text));
}

export function filterEvents(events: readonly StoredLogEvent[], f: LogFilter): readonly StoredLogEvent[] {
  return isFilterEmpty(f) ? events : events.filter(eventMatcher(f));
}

/** The quick view the filter's kinds are exactly, so its button shows as pressed. */
export function activeQuickView(f: LogFilter): QuickView | null {
  const kinds = new Set(f.kinds);
  for (const [id, view] of Object.entries(QUICK_VIEWS) as [QuickView, (typeof QUICK_VIEWS)[QuickView]][]) {
    if (view.kinds.length === kinds.size && view.kinds.every((k) => kinds.has(k))) return id;
  }
  return null;
}

/** Appends and keeps the newest `cap`: one copy per frame batch, never one per event. */
export function appendCapped(events: readonly StoredLogEvent[], added: readonly StoredLogEvent[], cap = MAX_EVENTS): StoredLogEvent[] {
  if (added.length >= cap) return added.slice(added.length - cap);
  const drop = Math.max(0, events.length + added.length - cap);
  const kept = drop > 0 ? events.slice(drop) : events.slice();
  for (const e of added) kept.push(e);
  return kept;
}

/** Identity of an event across the history query and the live stream, which can overlap. */
export const eventKey = (e: StoredLogEvent) => `${e.at}\u0000${e.host}\u0000${e.raw}`;

/**
 * History (newest first, as logs:query replies) merged under live events that arrived while it
 * loaded: oldest first, each event once.
 */
export function mergeHistory(history: readonly StoredLogEvent[], live: readonly StoredLogEvent[], cap = MAX_EVENTS): StoredLogEvent[] {
  const seen = new Set(live.map(eventKey));
  const older = history.filter((e) => !seen.has(eventKey(e))).reverse();
  const merged = [...older, ...live].sort((a, b) => a.at - b.at);
  return merged.length > cap ? merged.slice(merged.length - cap) : merged;
}

export interface MinuteBucket {
  /** Start of the minute, ms since the epoch. */
  start: number;
  total: number;
  byKind: Partial<Record<LogEventKind, number>>;
}

/** Events per minute by kind over the `minutes` up to `now`, oldest minute first (by receipt time). */
export function perMinute(events: readonly StoredLogEvent[], now: number, minutes = 60): MinuteBucket[] {
  const end = Math.floor(now / 60_000) * 60_000 + 60_000;
  const first = end - minutes * 60_000;
  const buckets: MinuteBucket[] = Array.from({ length: minutes }, (_, i) => ({ start: first + i * 60_000, total: 0, byKind: {} }));
  // oldest first: walk back from the newest and stop at the window's start
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.at < first) break;
    if (e.at >= end) continue;
    const b = buckets[Math.floor((e.at - first) / 60_000)]!;
    b.total++;
    b.byKind[e.kind] = (b.byKind[e.kind] ?? 0) + 1;
  }
  return buckets;
}

export interface Attacker {
  ip: string;
  count: number;
  hosts: string[];
  lastAt: number;
}

/** Addresses behind the most failed logins, with the hosts they tried. */
export function topAttackers(events: readonly StoredLogEvent[], limit = 10): Attacker[] {
  const failed = new Set<string>(FAILED_LOGIN_KINDS);
  const byIp = new Map<string, { count: number; hosts: Set<string>; lastAt: number }>();
  for (const e of events) {
    if (e.ip === null || !failed.has(e.kind)) continue;
    const a = byIp.get(e.ip) ?? { count: 0, hosts: new Set<string>(), lastAt: 0 };
    a.count++;
    a.hosts.add(e.host);
    a.lastAt = Math.max(a.lastAt, e.at);
    byIp.set(e.ip, a);
  }
  return [...byIp.entries()]
    .map(([ip, a]) => ({ ip, count: a.count, hosts: [...a.hosts].sort(), lastAt: a.lastAt }))
    .sort((x, y) => y.count - x.count || y.lastAt - x.lastAt || x.ip.localeCompare(y.ip))
    .slice(0, limit);
}

export interface ActiveBan {
  host: string;
  jail: string;
  ip: string;
  since: number;
}

/**
 * The bans still in force as far as the events tell: a ban or restored ban, not yet followed by
 * an unban of the same address in the same jail on the same host. Sorted by host, jail, address.
 */
export function currentBans(events: readonly StoredLogEvent[]): ActiveBan[] {
  const bans = new Map<string, ActiveBan>();
  for (const e of events) {
    if (e.ip === null || e.jail === null) continue;
    const key = `${e.host}\u0000${e.jail}\u0000${e.ip}`;
    if (e.kind === 'f2b.ban' || e.kind === 'f2b.restore_ban') {
      if (!bans.has(key)) bans.set(key, { host: e.host, jail: e.jail, ip: e.ip, since: e.at });
    } else if (e.kind === 'f2b.unban') bans.delete(key);
  }
  return [...bans.values()].sort((a, b) => a.host.localeCompare(b.host) || a.jail.localeCompare(b.jail) || a.ip.localeCompare(b.ip));
}
