/** Hand-written lines for what the fleet did not log: fail2ban's rarer messages, journald quirks. */
import { describe, expect, it } from 'vitest';
import { parseFail2banLine, parseJournaldRecord } from '../../../main/services/logs/parse';

const f2b = (line: string) => parseFail2banLine(line, { host: 'web-1', timeZone: 'UTC' });

describe('fail2ban.log', () => {
  it('reads "already banned", increased bans and IPv6 bans', () => {
    expect(f2b('2026-11-26 06:00:00,123 fail2ban.actions        [1234]: NOTICE  [sshd] 192.0.2.1 already banned')).toMatchObject({
      kind: 'f2b.already_banned', jail: 'sshd', ip: '192.0.2.1', pid: 1234, time: '2026-11-26T06:00:00.123Z',
    });
    expect(f2b('2026-11-26 06:00:01,000 fail2ban.actions        [1234]: NOTICE  [recidive] Increase Ban 192.0.2.1 (2 # 2:00:00 -> 2026-11-26 08:00:01)')).toMatchObject({
      kind: 'f2b.ban', jail: 'recidive', ip: '192.0.2.1',
    });
    expect(f2b('2026-11-26 06:00:02,000 fail2ban.actions        [1234]: NOTICE  [sshd] Ban 2001:DB8::66')).toMatchObject({ kind: 'f2b.ban', ip: '2001:db8::66' });
  });

  it('reads the fail2ban 0.8 layout, which has no pid', () => {
    expect(f2b('2016-01-02 03:04:05,678 fail2ban.actions: WARNING [ssh] Ban 192.0.2.9')).toMatchObject({ kind: 'f2b.ban', jail: 'ssh', pid: null, time: '2016-01-02T03:04:05.678Z' });
  });

  it('converts local fail2ban times with the host zone, and leaves them unmarked without one', () => {
    const line = '2026-07-01 12:00:00,500 fail2ban.filter [9]: INFO [sshd] Found 192.0.2.3 - 2026-07-01 12:00:00';
    expect(parseFail2banLine(line, { host: 'h', timeZone: 'Europe/Berlin' }).time).toBe('2026-07-01T10:00:00.500Z');
    expect(parseFail2banLine(line, { host: 'h' }).time).toBe('2026-07-01T12:00:00.500');
  });

  it('keeps unreadable lines as other', () => {
    expect(f2b('Traceback (most recent call last):')).toMatchObject({ kind: 'other', time: null, jail: null });
  });
});

describe('journald', () => {
  it('reads fail2ban when it logs to the journal', () => {
    expect(parseJournaldRecord({ MESSAGE: 'NOTICE  [sshd] Unban 192.0.2.4', SYSLOG_IDENTIFIER: 'fail2ban.actions', _PID: '700', __REALTIME_TIMESTAMP: '1795674357000000' }, { host: 'h' })).toMatchObject({
      kind: 'f2b.unban', jail: 'sshd', ip: '192.0.2.4', source: 'journald', pid: 700,
    });
    expect(parseJournaldRecord({ MESSAGE: 'fail2ban.actions        [700]: NOTICE  [sshd] Ban 192.0.2.4', _COMM: 'fail2ban-server' }, { host: 'h' })).toMatchObject({ kind: 'f2b.ban' });
  });

  it('prefers the pid journald saw over the one the sender claimed, and _COMM when there is no identifier', () => {
    expect(parseJournaldRecord({ MESSAGE: 'Invalid user q from 192.0.2.5 port 6', _COMM: 'sshd-session', _PID: '31', SYSLOG_PID: '30' }, { host: 'h' })).toMatchObject({
      kind: 'auth.invalid_user', pid: 31, raw: 'sshd-session[31]: Invalid user q from 192.0.2.5 port 6',
    });
  });
});
