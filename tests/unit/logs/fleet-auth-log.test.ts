import { describe, expect, it } from 'vitest';
import { authLogEvents, expectValidEvents, fixtureLines, kindCounts, only } from './fleet-fixtures';

const events = authLogEvents();
const base = { host: 'fleet-01', source: 'auth.log', method: null, keyFingerprint: null, jail: null, port: null, user: null, ip: null };

describe('fleet-01 auth.log (rsyslog, RFC 3339 timestamps)', () => {
  it('gives one schema-valid event per line, the line itself as raw, none dropped', () => {
    const lines = fixtureLines('fleet-01.auth.log');
    expect(events.map((e) => e.raw)).toEqual(lines);
    expectValidEvents(events);
  });

  it('counts each incident once per kind', () => {
    expect(kindCounts(events)).toEqual({
      'auth.accepted_publickey': 13,
      'auth.accepted_password': 1,
      'auth.session_opened': 14,
      'auth.session_closed': 13,
      // 2 real attempts from the attacker namespace, 12 written with logger (see the fixtures README)
      'auth.failed_password': 14,
      'auth.invalid_user': 2,
      'auth.max_auth_tries': 1,
      'auth.preauth_disconnect': 12,
      'sudo.command': 2,
      'sudo.auth_failure': 1,
      other: 53,
    });
  });

  it('reads a key login with its fingerprint, in UTC', () => {
    expect(only(events, 'sshd[48]: Accepted publickey')).toEqual({
      ...base,
      time: '2026-11-26T06:25:58.333Z',
      kind: 'auth.accepted_publickey',
      ip: '10.213.3.1',
      port: 52612,
      user: 'root',
      method: 'publickey',
      keyFingerprint: 'SHA256:0rY1mU3QNZBsTgzd6hhW2+Ft0ufeA0wedWUr+3GjcDQ',
      pid: 48,
      raw: '2026-11-26T06:25:58.333267+00:00 fleet-01 sshd[48]: Accepted publickey for root from 10.213.3.1 port 52612 ssh2: ED25519 SHA256:0rY1mU3QNZBsTgzd6hhW2+Ft0ufeA0wedWUr+3GjcDQ',
    });
  });

  it('reads a password login and its session, which inherits the address from the same pid', () => {
    expect(only(events, 'Accepted password for admin')).toMatchObject({ kind: 'auth.accepted_password', user: 'admin', method: 'password', ip: '10.213.3.1', port: 44976, pid: 93 });
    expect(only(events, 'sshd[93]: pam_unix(sshd:session): session opened')).toEqual({
      ...base,
      time: '2026-11-26T06:26:14.535Z',
      kind: 'auth.session_opened',
      ip: '10.213.3.1',
      port: 44976,
      user: 'admin',
      pid: 93,
      raw: '2026-11-26T06:26:14.535912+00:00 fleet-01 sshd[93]: pam_unix(sshd:session): session opened for user admin(uid=1000) by (uid=0)',
    });
  });

  it('reads the attacker: failed password, invalid user with a space, max tries, pre-auth disconnects', () => {
    expect(only(events, 'Failed password for root from 10.213.3.250 port 50960')).toMatchObject({
      kind: 'auth.failed_password', ip: '10.213.3.250', port: 50960, user: 'root', method: 'password', pid: 129, time: '2026-11-26T06:27:17.872Z',
    });
    expect(only(events, 'Invalid user a b from')).toMatchObject({ kind: 'auth.invalid_user', user: 'a b', ip: '10.213.3.250', port: 50976 });
    expect(only(events, 'Failed password for invalid user a b')).toMatchObject({ kind: 'auth.failed_password', user: 'a b', ip: '10.213.3.250', port: 50976 });
    expect(only(events, 'maximum authentication attempts exceeded')).toMatchObject({ kind: 'auth.max_auth_tries', user: 'admin', ip: '10.213.3.250', port: 50934 });
    expect(only(events, 'Connection closed by invalid user a b')).toMatchObject({ kind: 'auth.preauth_disconnect', user: 'a b', ip: '10.213.3.250', port: 50976 });
    expect(only(events, 'banner exchange')).toMatchObject({ kind: 'auth.preauth_disconnect', ip: '10.213.3.250', port: 50922 });
    expect(only(events, 'Unable to negotiate')).toMatchObject({ kind: 'auth.preauth_disconnect', ip: '10.213.3.250', port: 50928 });
  });

  it("keeps PAM's echo of a failed password as other, with its address and user", () => {
    expect(only(events, 'sshd[129]: pam_unix(sshd:auth): authentication failure')).toMatchObject({ kind: 'other', ip: '10.213.3.250', user: 'root' });
  });

  it('reads sudo: the command, and three wrong passwords as one failure', () => {
    expect(only(events, 'COMMAND=/usr/bin/ls /root')).toEqual({
      ...base,
      time: '2026-11-26T06:26:15.282Z',
      kind: 'sudo.command',
      user: 'admin',
      pid: null,
      raw: '2026-11-26T06:26:15.282611+00:00 fleet-01 sudo:    admin : PWD=/home/admin ; USER=root ; COMMAND=/usr/bin/ls /root',
    });
    expect(only(events, '3 incorrect password attempts')).toMatchObject({ kind: 'sudo.auth_failure', user: 'admin' });
    expect(only(events, 'pam_unix(sudo:auth): authentication failure')).toMatchObject({ kind: 'other', user: 'admin' });
  });

  it("keeps a client's normal logout as other (reason 11, no [preauth])", () => {
    expect(only(events, 'sshd[48]: Received disconnect')).toMatchObject({ kind: 'other', ip: '10.213.3.1', port: 52612 });
    expect(only(events, 'sshd[48]: Disconnected from user root')).toMatchObject({ kind: 'other', user: 'root' });
  });
});
