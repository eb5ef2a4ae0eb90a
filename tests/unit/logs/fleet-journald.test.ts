import { describe, expect, it } from 'vitest';
import { expectValidEvents, fixtureLines, journalEvents, kindCounts, only } from './fleet-fixtures';

const events = journalEvents();
const base = { host: 'fleet-02', source: 'journald', method: null, keyFingerprint: null, jail: null, port: null, user: null, ip: null };

describe('fleet-02 journal (journalctl -o json, no auth.log)', () => {
  it('gives one schema-valid event per record, raw as identifier[pid]: MESSAGE', () => {
    const records = fixtureLines('fleet-02.journal.json').map((l) => JSON.parse(l) as Record<string, string>);
    expect(events.map((e) => e.raw)).toEqual(records.map((r) => `${r.SYSLOG_IDENTIFIER}[${r._PID}]: ${r.MESSAGE}`));
    expectValidEvents(events);
  });

  it('counts each incident once per kind', () => {
    expect(kindCounts(events)).toEqual({
      'auth.accepted_publickey': 4,
      'auth.accepted_password': 1,
      'auth.accepted_keyboard': 1,
      'auth.session_opened': 2,
      'auth.session_closed': 2,
      'auth.failed_password': 7,
      'auth.failed_publickey': 2,
      'auth.invalid_user': 5,
      'auth.max_auth_tries': 1,
      'auth.preauth_disconnect': 15,
      'sudo.command': 2,
      'sudo.auth_failure': 1,
      other: 33,
    });
  });

  it('takes the time from __REALTIME_TIMESTAMP and the pid from _PID', () => {
    expect(only(events, 'Accepted password for admin')).toEqual({
      ...base,
      time: '2026-11-26T06:26:24.713Z',
      kind: 'auth.accepted_password',
      ip: '10.213.3.1',
      port: 57908,
      user: 'admin',
      method: 'password',
      pid: 85,
      raw: 'sshd[85]: Accepted password for admin from 10.213.3.1 port 57908 ssh2',
    });
  });

  it('reads refused keys (LogLevel VERBOSE) with their fingerprints', () => {
    expect(only(events, 'SHA256:YMo0KLMLDQTloL7SWGfElQb0rRKgqTlPGMJ+sQa99aE')).toEqual({
      ...base,
      time: '2026-11-26T06:28:08.310Z',
      kind: 'auth.failed_publickey',
      ip: '10.213.3.250',
      port: 58476,
      user: 'admin',
      method: 'publickey',
      keyFingerprint: 'SHA256:YMo0KLMLDQTloL7SWGfElQb0rRKgqTlPGMJ+sQa99aE',
      pid: 193,
      raw: 'sshd[193]: Failed publickey for admin from 10.213.3.250 port 58476 ssh2: ED25519 SHA256:YMo0KLMLDQTloL7SWGfElQb0rRKgqTlPGMJ+sQa99aE',
    });
  });

  it('reads keyboard-interactive: the login, and the failure PAM reports instead of sshd', () => {
    expect(only(events, 'Accepted keyboard-interactive/pam')).toMatchObject({ kind: 'auth.accepted_keyboard', method: 'keyboard-interactive/pam', user: 'admin', ip: '10.213.3.1', port: 41456 });
    expect(only(events, 'error: PAM: Authentication failure for admin')).toMatchObject({
      kind: 'auth.failed_password', method: 'keyboard-interactive/pam', user: 'admin', ip: '10.213.3.250', port: null,
    });
  });

  it('reads DenyUsers refusals and user names as sshd escaped them', () => {
    expect(only(events, 'User daemon from')).toMatchObject({ kind: 'auth.invalid_user', user: 'daemon', ip: '10.213.3.250' });
    expect(only(events, 'Invalid user jos')).toMatchObject({ kind: 'auth.invalid_user', user: 'jos\\351', ip: '10.213.3.250', port: 47646 });
  });

  it('fills the address of a VERBOSE session from its "Connection from" line', () => {
    expect(only(events, 'Starting session: command for root')).toMatchObject({ kind: 'other', ip: '10.213.3.1', port: 42328, pid: 197 });
  });

  it('reads sudo from the journal the same way as from auth.log', () => {
    expect(only(events, 'COMMAND=/usr/bin/ls /root')).toMatchObject({ kind: 'sudo.command', user: 'admin', pid: 102, time: '2026-11-26T06:26:25.566Z' });
    expect(only(events, '3 incorrect password attempts')).toMatchObject({ kind: 'sudo.auth_failure', user: 'admin', pid: 106 });
  });
});
