/** The notification rules: new login address per host, root logins, ban storms; each switchable. */
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../shared/domain/logs';
import { AlertEngine, DEFAULT_ALERT_RULES, type KnownLogins } from '../../../main/services/logs/alerts';

function memory(): KnownLogins {
  const seen = new Set<string>();
  return { has: (h, ip) => seen.has(`${h} ${ip}`), add: (h, ip) => void seen.add(`${h} ${ip}`) };
}
const base: LogEvent = { time: null, host: 'web1', source: 'auth.log', kind: 'auth.accepted_publickey', ip: '192.0.2.1', port: 5, user: 'admin', method: 'publickey', keyFingerprint: null, jail: null, pid: 1, raw: '' };
const at = (e: Partial<LogEvent>, t: number) => ({ ...base, ...e, at: t });

describe('AlertEngine', () => {
  it('a new address per host alerts once; the same address on another host is new there', () => {
    const a = new AlertEngine(DEFAULT_ALERT_RULES, memory());
    expect(a.feed([at({}, 1)]).map((x) => [x.rule, x.title, x.body])).toEqual([['new-address-login', 'New login address on web1', 'admin logged in by publickey from 192.0.2.1, never seen logging in there before']]);
    expect(a.feed([at({}, 2), at({ kind: 'auth.failed_password', ip: '198.51.100.1' }, 3)])).toEqual([]);
    expect(a.feed([at({ host: 'db1' }, 4)]).map((x) => x.host)).toEqual(['db1']);
  });

  it('root logins alert every time; switched-off rules stay quiet but still learn addresses', () => {
    const known = memory();
    const a = new AlertEngine({ ...DEFAULT_ALERT_RULES, newAddressLogin: false }, known);
    expect(a.feed([at({ user: 'root', kind: 'auth.accepted_password', method: 'password' }, 1)]).map((x) => [x.rule, x.body])).toEqual([['root-login', 'root logged in by password from 192.0.2.1']]);
    expect(known.has('web1', '192.0.2.1')).toBe(true);
    a.rules = { ...DEFAULT_ALERT_RULES, rootLogin: false };
    expect(a.feed([at({ user: 'root' }, 2)])).toEqual([]);
  });

  it('a ban storm is told once, and again only after a quiet minute', () => {
    const a = new AlertEngine({ ...DEFAULT_ALERT_RULES, banStormPerMinute: 3 }, memory());
    const ban = (t: number, n: number) => at({ kind: 'f2b.ban', ip: `203.0.113.${n}`, jail: 'sshd', user: null }, t);
    expect(a.feed([ban(0, 1), ban(1000, 2), ban(2000, 3)])).toEqual([]);
    const storm = a.feed([ban(3000, 4), ban(4000, 5), ban(5000, 6)]);
    expect(storm.map((x) => [x.rule, x.body])).toEqual([['ban-storm', '4 addresses banned in the last minute across your hosts']]);
    expect(a.feed([ban(70_000, 7)])).toEqual([]);
    expect(a.feed([ban(200_000, 8), ban(200_100, 9), ban(200_200, 10), ban(200_300, 11)]).map((x) => x.rule)).toEqual(['ban-storm']);
  });
});
