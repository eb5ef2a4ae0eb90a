import { describe, expect, it } from 'vitest';
import { parseFail2banLine } from '../../../main/services/logs/parse';
import { expectValidEvents, fail2banEvents, fixtureLines, kindCounts, only } from './fleet-fixtures';

const events = fail2banEvents();

describe('fleet-01 fail2ban.log (fail2ban 1.0.2)', () => {
  it('gives one schema-valid event per line, none dropped', () => {
    expect(events.map((e) => e.raw)).toEqual(fixtureLines('fleet-01.fail2ban.log'));
    expectValidEvents(events);
  });

  it('reads finds, bans, unbans and the ban restored at restart', () => {
    expect(kindCounts(events)).toEqual({ 'f2b.found': 17, 'f2b.ban': 4, 'f2b.unban': 5, 'f2b.restore_ban': 1, other: 23 });
  });

  it('gives the jail, the address, the server pid and the time in the host zone', () => {
    expect(only(events, '06:27:21,416')).toEqual({
      time: '2026-11-26T06:27:21.416Z',
      host: 'fleet-01',
      source: 'fail2ban.log',
      kind: 'f2b.ban',
      ip: '10.213.3.250',
      port: null,
      user: null,
      method: null,
      keyFingerprint: null,
      jail: 'sshd',
      pid: 40,
      raw: '2026-11-26 06:27:21,416 fail2ban.actions        [40]: NOTICE  [sshd] Ban 10.213.3.250',
    });
    expect(only(events, '06:27:15,848')).toMatchObject({ kind: 'f2b.found', ip: '10.213.3.250', jail: 'sshd' });
    expect(only(events, 'Restore Ban')).toMatchObject({ kind: 'f2b.restore_ban', ip: '10.213.3.250', jail: 'sshd', pid: 180 });
    expect(only(events, '06:27:24,108')).toMatchObject({ kind: 'f2b.unban', ip: '10.213.3.250', jail: 'sshd' });
  });

  it('keeps service chatter as other, with the jail when a line names one', () => {
    expect(only(events, 'Flush ticket(s)')).toMatchObject({ kind: 'other', jail: 'sshd', ip: null });
    expect(only(events, 'Starting Fail2ban')).toMatchObject({ kind: 'other', jail: null });
  });
});

describe('fleet-01b fail2ban.log: failures of an address already banned', () => {
  const events = fixtureLines('fleet-01b.fail2ban.log').map((l) => parseFail2banLine(l, { host: 'fleet-01', timeZone: 'UTC' }));

  it('reads the ban, the finds, "already banned" and the unban', () => {
    expect(events.map((e) => e.kind)).toEqual(['f2b.ban', ...Array(6).fill('f2b.found'), 'f2b.already_banned', 'f2b.unban']);
    expectValidEvents(events);
    expect(only(events, 'already banned')).toEqual({
      time: '2026-11-26T06:41:03.407Z',
      host: 'fleet-01',
      source: 'fail2ban.log',
      kind: 'f2b.already_banned',
      ip: '10.213.2.250',
      port: null,
      user: null,
      method: null,
      keyFingerprint: null,
      jail: 'sshd',
      pid: 37,
      raw: '2026-11-26 06:41:03,407 fail2ban.actions        [37]: NOTICE  [sshd] 10.213.2.250 already banned',
    });
  });
});
