/**
 * The Logs view's derivations over held events: filters and quick views, the 100,000 cap, the
 * merge of history under live events, per-minute buckets, top attackers and the ban list.
 */
import { describe, expect, it } from 'vitest';
import type { LogEventKind, StoredLogEvent } from '../../../shared/domain/logs';
import {
  activeQuickView,
  appendCapped,
  currentBans,
  emptyFilter,
  filterEvents,
  MAX_EVENTS,
  mergeHistory,
  perMinute,
  QUICK_VIEWS,
  topAttackers,
} from '../../../renderer/src/features/logs/log-derive';

let seq = 0;
function ev(kind: LogEventKind, over: Partial<StoredLogEvent> = {}): StoredLogEvent {
  seq++;
  return { time: null, host: 'web1', source: 'auth.log', kind, ip: null, port: null, user: null, method: null, keyFingerprint: null, jail: null, pid: null, raw: `line ${seq}`, at: seq, ...over };
}

describe('filters', () => {
  const events = [
    ev('auth.failed_password', { host: 'web1', ip: '203.0.113.7', user: 'root', raw: 'Failed password for root from 203.0.113.7' }),
    ev('auth.invalid_user', { host: 'web2', ip: '203.0.113.8', user: 'Admin', raw: 'Invalid user Admin from 203.0.113.8' }),
    ev('auth.accepted_publickey', { host: 'web2', ip: '10.0.0.2', user: 'deploy', raw: 'Accepted publickey for deploy' }),
    ev('f2b.ban', { host: 'web1', ip: '203.0.113.7', jail: 'sshd', source: 'fail2ban.log', raw: 'NOTICE [sshd] Ban 203.0.113.7' }),
    ev('sudo.command', { host: 'web3', user: 'deploy', raw: 'deploy : COMMAND=/usr/bin/apt' }),
  ];
  const pick = (patch: Partial<ReturnType<typeof emptyFilter>>) => filterEvents(events, { ...emptyFilter(), ...patch }).map((e) => e.raw);

  it('shows everything without a filter, the same array (no copy per frame)', () => {
    expect(filterEvents(events, emptyFilter())).toBe(events);
  });

  it('filters by host, kind, IP and user as substrings, and free text, case-insensitively, all together', () => {
    expect(pick({ hosts: ['web2'] })).toEqual([events[1]!.raw, events[2]!.raw]);
    expect(pick({ kinds: ['sudo.command'] })).toEqual([events[4]!.raw]);
    expect(pick({ ip: '203.0.113.' })).toHaveLength(3);
    expect(pick({ user: 'admin' })).toEqual([events[1]!.raw]);
    expect(pick({ text: 'BAN 203' })).toEqual([events[3]!.raw]);
    expect(pick({ ip: '203.0.113.7', hosts: ['web1'], kinds: ['f2b.ban'] })).toEqual([events[3]!.raw]);
    expect(pick({ ip: '198.51.100.1' })).toEqual([]);
    // an event without an address never matches an address filter
    expect(pick({ ip: ' ', user: 'deploy' })).toEqual([events[2]!.raw, events[4]!.raw]);
  });

  it('quick views are kind sets, recognised whatever the order', () => {
    expect(pick({ kinds: [...QUICK_VIEWS.failed.kinds] })).toEqual([events[0]!.raw, events[1]!.raw]);
    expect(pick({ kinds: [...QUICK_VIEWS.accepted.kinds] })).toEqual([events[2]!.raw]);
    expect(pick({ kinds: [...QUICK_VIEWS.bans.kinds] })).toEqual([events[3]!.raw]);
    expect(activeQuickView({ ...emptyFilter(), kinds: [...QUICK_VIEWS.failed.kinds].reverse() })).toBe('failed');
    expect(activeQuickView({ ...emptyFilter(), kinds: ['f2b.ban'] })).toBeNull();
    expect(activeQuickView(emptyFilter())).toBeNull();
  });
});

describe('the cap', () => {
  it('keeps the newest 100,000, in order, without touching the input', () => {
    const held = Array.from({ length: MAX_EVENTS - 10 }, (_, i) => ev('other', { at: i }));
    const added = Array.from({ length: 25 }, (_, i) => ev('other', { at: MAX_EVENTS + i }));
    const out = appendCapped(held, added);
    expect(out).toHaveLength(MAX_EVENTS);
    expect(out[0]!.at).toBe(15);
    expect(out.at(-1)!.at).toBe(MAX_EVENTS + 24);
    expect(held).toHaveLength(MAX_EVENTS - 10);
    expect(appendCapped([], Array.from({ length: 7 }, (_, i) => ev('other', { at: i })), 3).map((e) => e.at)).toEqual([4, 5, 6]);
  });

  it('merges newest-first history under live events, each once, oldest first', () => {
    const a = ev('other', { at: 1 });
    const b = ev('other', { at: 2 });
    const c = ev('other', { at: 3 });
    const merged = mergeHistory([c, b, a], [{ ...c }, ev('other', { at: 4 })]);
    expect(merged.map((e) => e.at)).toEqual([1, 2, 3, 4]);
  });
});

describe('per-minute buckets', () => {
  it('counts the last 60 minutes by kind, oldest minute first, and ignores older events', () => {
    const now = Date.UTC(2026, 0, 1, 12, 30, 20);
    const minute = Date.UTC(2026, 0, 1, 12, 30);
    const events = [
      ev('auth.failed_password', { at: minute - 61 * 60_000 }),
      ev('auth.failed_password', { at: minute - 59 * 60_000 }),
      ev('f2b.ban', { at: minute - 60_000 + 5 }),
      ev('auth.failed_password', { at: minute + 1_000 }),
      ev('auth.failed_password', { at: minute + 19_000 }),
      ev('f2b.ban', { at: minute + 20_000 }),
    ];
    const b = perMinute(events, now);
    expect(b).toHaveLength(60);
    expect(b.at(-1)).toEqual({ start: minute, total: 3, byKind: { 'auth.failed_password': 2, 'f2b.ban': 1 } });
    expect(b.at(-2)).toEqual({ start: minute - 60_000, total: 1, byKind: { 'f2b.ban': 1 } });
    expect(b[0]!.start).toBe(minute - 59 * 60_000);
    expect(b[0]!.total).toBe(1);
    expect(b.reduce((n, x) => n + x.total, 0)).toBe(5);
  });
});

describe('top attackers', () => {
  it('ranks addresses by failed logins only, with the hosts they tried', () => {
    const events = [
      ...Array.from({ length: 3 }, () => ev('auth.failed_password', { ip: '203.0.113.7', host: 'web2' })),
      ev('auth.invalid_user', { ip: '203.0.113.7', host: 'web1' }),
      ev('auth.max_auth_tries', { ip: '198.51.100.4', host: 'web1' }),
      ev('auth.failed_publickey', { ip: '198.51.100.4', host: 'web1' }),
      ...Array.from({ length: 9 }, () => ev('auth.accepted_password', { ip: '10.0.0.1' })),
      ev('auth.preauth_disconnect', { ip: '192.0.2.1' }),
    ];
    expect(topAttackers(events).map(({ ip, count, hosts }) => ({ ip, count, hosts }))).toEqual([
      { ip: '203.0.113.7', count: 4, hosts: ['web1', 'web2'] },
      { ip: '198.51.100.4', count: 2, hosts: ['web1'] },
    ]);
    expect(topAttackers(events, 1)).toHaveLength(1);
  });
});

describe('the ban list', () => {
  it('is the bans and restored bans not followed by an unban, per host and jail', () => {
    const ip = '203.0.113.7';
    const events = [
      ev('f2b.ban', { host: 'web1', jail: 'sshd', ip }),
      ev('f2b.ban', { host: 'web2', jail: 'sshd', ip }),
      ev('f2b.restore_ban', { host: 'web2', jail: 'recidive', ip }),
      ev('f2b.unban', { host: 'web1', jail: 'sshd', ip }),
      // an unban in another jail or on another host leaves the others
      ev('f2b.unban', { host: 'web3', jail: 'sshd', ip }),
      ev('f2b.found', { host: 'web1', jail: 'sshd', ip: '198.51.100.4' }),
      ev('f2b.ban', { host: 'web1', jail: 'sshd', ip: '198.51.100.4' }),
    ];
    expect(currentBans(events).map(({ host, jail, ip: a }) => `${host} ${jail} ${a}`)).toEqual(['web1 sshd 198.51.100.4', 'web2 recidive 203.0.113.7', 'web2 sshd 203.0.113.7']);
    // banned again after the unban: back in the list
    expect(currentBans([...events, ev('f2b.ban', { host: 'web1', jail: 'sshd', ip })]).map((b) => `${b.host} ${b.ip}`)).toContain('web1 203.0.113.7');
  });
});
