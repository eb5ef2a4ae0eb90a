/**
 * Hand-written lines for what the fleet (OpenSSH 9.2, IPv4 only, UseDNS no) cannot produce:
 * OpenSSH 9.8+/10 process names, IPv6, IPv4-mapped addresses, resolved host names, hostile user
 * names, and older message forms.
 */
import { describe, expect, it } from 'vitest';
import { parseSyslogLine, SshdSessions } from '../../../main/services/logs/parse';

const REFERENCE = new Date('2026-11-26T12:00:00Z');
const parse = (line: string, sessions?: SshdSessions) =>
  parseSyslogLine(line, { host: 'web-1', source: 'auth.log', reference: REFERENCE, timeZone: 'UTC' }, sessions);
const sshd = (message: string, program = 'sshd', sessions?: SshdSessions) => parse(`Nov 26 06:00:01 web1 ${program}[4242]: ${message}`, sessions);

describe('sshd messages', () => {
  it('reads OpenSSH 9.8+ sshd-session and OpenSSH 10 sshd-auth lines like sshd ones', () => {
    expect(sshd('Failed password for root from 198.51.100.23 port 61022 ssh2', 'sshd-session')).toEqual({
      time: '2026-11-26T06:00:01.000Z',
      host: 'web-1',
      source: 'auth.log',
      kind: 'auth.failed_password',
      ip: '198.51.100.23',
      port: 61022,
      user: 'root',
      method: 'password',
      keyFingerprint: null,
      jail: null,
      pid: 4242,
      raw: 'Nov 26 06:00:01 web1 sshd-session[4242]: Failed password for root from 198.51.100.23 port 61022 ssh2',
    });
    expect(sshd('Connection closed by invalid user oracle 198.51.100.2 port 40000 [preauth]', 'sshd-auth')).toMatchObject({
      kind: 'auth.preauth_disconnect', user: 'oracle', ip: '198.51.100.2', port: 40000,
    });
  });

  it('lower-cases IPv6, unwraps IPv4-mapped addresses, keeps host names sshd resolved', () => {
    expect(sshd('Failed password for root from 2001:DB8:0:1::A port 22 ssh2')).toMatchObject({ ip: '2001:db8:0:1::a', port: 22 });
    expect(sshd('Accepted password for admin from ::FFFF:198.51.100.7 port 50000 ssh2')).toMatchObject({ kind: 'auth.accepted_password', ip: '198.51.100.7' });
    expect(sshd('Invalid user bob from scanner.example.net port 4444')).toMatchObject({ kind: 'auth.invalid_user', user: 'bob', ip: 'scanner.example.net' });
    expect(sshd('ROOT LOGIN REFUSED FROM ::ffff:203.0.113.5 port 1022 [preauth]')).toMatchObject({ kind: 'auth.invalid_user', user: 'root', ip: '203.0.113.5', port: 1022 });
  });

  it('keeps spaces and quotes in user names', () => {
    expect(sshd(`Invalid user o'brien "x" from 198.51.100.4 port 1`)).toMatchObject({ user: `o'brien "x"`, ip: '198.51.100.4' });
    expect(sshd('Failed password for invalid user  from 198.51.100.4 port 2 ssh2')).toMatchObject({ kind: 'auth.failed_password', user: '' });
    expect(sshd('Connection closed by authenticating user first last 198.51.100.4 port 3 [preauth]')).toMatchObject({ user: 'first last', ip: '198.51.100.4' });
  });

  it('takes the address sshd appended, not one the attacker put into the user name', () => {
    expect(sshd('Failed password for invalid user x from 6.6.6.6 port 1 ssh2 from 198.51.100.9 port 2222 ssh2')).toMatchObject({
      ip: '198.51.100.9', port: 2222, user: 'x from 6.6.6.6 port 1 ssh2',
    });
    // a user name ending in "ssh2:" makes the real address look like key info; sshd logs no info after a password
    expect(sshd('Failed password for invalid user y from 6.6.6.6 port 1 ssh2: from 198.51.100.9 port 2222 ssh2')).toMatchObject({ ip: '198.51.100.9' });
    expect(sshd('Connection closed by authenticating user a 6.6.6.6 port 1 198.51.100.9 port 2 [preauth]')).toMatchObject({ ip: '198.51.100.9', user: 'a 6.6.6.6 port 1' });
    expect(sshd('Invalid user z from 6.6.6.6 port 7 from 198.51.100.9 port 8')).toMatchObject({ ip: '198.51.100.9', port: 8 });
    // SSH-1's rhosts info after "ssh1:" was the client's text: a bare "from A" in it is not the remote
    expect(sshd('Failed password for bob from 198.51.100.40 port 20000 ssh1: ruser x from 6.6.6.6')).toMatchObject({ ip: '198.51.100.40', port: 20000, user: 'bob' });
  });

  it('reads key algorithms and fingerprint forms', () => {
    expect(sshd('Failed publickey for invalid user git from 198.51.100.5 port 3 ssh2: RSA SHA256:AbC/dEf+123')).toMatchObject({
      kind: 'auth.failed_publickey', user: 'git', keyFingerprint: 'SHA256:AbC/dEf+123', method: 'publickey',
    });
    expect(sshd('Failed hostbased for kim from 198.51.100.5 port 4 ssh2: RSA 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff, client user "kim", client host "h"')).toMatchObject({
      kind: 'auth.failed_publickey', method: 'hostbased', keyFingerprint: '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff', ip: '198.51.100.5',
    });
    expect(sshd('Accepted publickey for ci from 198.51.100.6 port 5 ssh2: ED25519-CERT SHA256:xyz ID ci@example (serial 3) CA ED25519 SHA256:ca')).toMatchObject({
      kind: 'auth.accepted_publickey', keyFingerprint: 'SHA256:xyz',
    });
  });

  it('classifies what ends a connection before authentication', () => {
    const preauth = [
      'Did not receive identification string from 198.51.100.3 port 5',
      "Bad protocol version identification 'GET / HTTP/1.1' from 198.51.100.3 port 6",
      'Received disconnect from 198.51.100.3 port 7:11: Bye Bye [preauth]',
      'error: Received disconnect from 198.51.100.3 port 8:14: No supported authentication methods available [preauth]',
      'fatal: Timeout before authentication for 198.51.100.3 port 9',
      'ssh_dispatch_run_fatal: Connection from 198.51.100.3 port 10: Connection corrupted [preauth]',
      'Disconnected from invalid user test 198.51.100.3 port 11 [preauth]',
      'Connection reset by 198.51.100.3 port 12 [preauth]',
    ];
    for (const line of preauth) expect(sshd(line), line).toMatchObject({ kind: 'auth.preauth_disconnect', ip: '198.51.100.3' });
    expect(sshd('Received disconnect from 198.51.100.3 port 13:11: disconnected by user')).toMatchObject({ kind: 'other', ip: '198.51.100.3' });
    expect(sshd('Disconnected from user alice 198.51.100.3 port 14')).toMatchObject({ kind: 'other', user: 'alice' });
  });

  it('reads MaxAuthTries in both the current and the pre-7.x wording', () => {
    expect(sshd('error: maximum authentication attempts exceeded for invalid user pi from 198.51.100.8 port 1 ssh2 [preauth]')).toMatchObject({
      kind: 'auth.max_auth_tries', user: 'pi', ip: '198.51.100.8', port: 1,
    });
    expect(sshd('Disconnecting: Too many authentication failures for root [preauth]')).toMatchObject({ kind: 'auth.max_auth_tries', user: 'root', ip: null });
  });

  it('names the remote of address-less lines from the same pid, per host', () => {
    const sessions = new SshdSessions();
    sshd('Connection from 198.51.100.20 port 5555 on 198.51.100.1 port 22 rdomain ""', 'sshd', sessions);
    expect(sshd('fatal: Unable to negotiate a key exchange method [preauth]', 'sshd', sessions)).toMatchObject({ kind: 'auth.preauth_disconnect', ip: '198.51.100.20', port: 5555 });
    const elsewhere = parseSyslogLine('Nov 26 06:00:02 other sshd[4242]: error: kex_exchange_identification: read: Connection reset by peer',
      { host: 'web-2', source: 'auth.log', reference: REFERENCE, timeZone: 'UTC' }, sessions);
    expect(elsewhere).toMatchObject({ kind: 'auth.preauth_disconnect', ip: null });
    expect(sshd('fatal: Unable to negotiate a key exchange method [preauth]')).toMatchObject({ ip: null });
  });

  it('forgets the least recently used connections beyond its bound', () => {
    const sessions = new SshdSessions(2);
    sessions.remember('h', 1, { ip: '198.51.100.1', port: 1 });
    sessions.remember('h', 2, { ip: '198.51.100.2', port: 2 });
    sessions.remember('h', 1, { ip: '198.51.100.1', port: 1 });
    sessions.remember('h', 3, { ip: '198.51.100.3', port: 3 });
    expect(sessions.size).toBe(2);
    expect(sessions.recall('h', 2)).toBeUndefined();
    expect(sessions.recall('h', 1)).toEqual({ ip: '198.51.100.1', port: 1 });
  });

  it('reads PAM and AllowUsers refusals', () => {
    expect(sshd('User carol from 198.51.100.30 not allowed because not listed in AllowUsers')).toMatchObject({ kind: 'auth.invalid_user', user: 'carol', ip: '198.51.100.30' });
    expect(sshd('error: PAM: User not known to the underlying authentication module for illegal user mallory from 198.51.100.31')).toMatchObject({
      kind: 'auth.invalid_user', user: 'mallory', ip: '198.51.100.31',
    });
    expect(sshd('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::9  user=root')).toMatchObject({
      kind: 'other', user: 'root', ip: '2001:db8::9',
    });
  });

  it('keeps unknown sshd lines as other', () => {
    expect(sshd('Server listening on :: port 22.')).toMatchObject({ kind: 'other', ip: null, pid: 4242 });
  });
});

describe('syslog headers', () => {
  it('reads lines without a host name, without a pid, and with a bracketed tag', () => {
    expect(parse('Nov 25 04:12:09 sshd[3131]: Connection closed by 198.51.100.61 [preauth]')).toMatchObject({ kind: 'auth.preauth_disconnect', ip: '198.51.100.61', pid: 3131 });
    expect(parse('Nov  3 09:41:05 [sshd]: User admin from 198.51.100.62 not allowed because not listed in AllowUsers')).toMatchObject({
      kind: 'auth.invalid_user', ip: '198.51.100.62', pid: null, time: '2026-11-03T09:41:05.000Z',
    });
    expect(parse('Nov 26 06:00:00 host sudo: alice : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh')).toMatchObject({
      kind: 'sudo.auth_failure', user: 'alice', pid: null,
    });
  });

  it('reads RFC 5424 with structured data that holds brackets', () => {
    expect(parse('<38>1 2026-07-09T08:15:02.512034-04:00 relay.example.org sshd 3141 - [meta x="[a]"] Failed unknown for invalid user r from 198.51.100.70 port 40022 ssh2')).toMatchObject({
      time: '2026-07-09T12:15:02.512Z', kind: 'auth.failed_password', method: 'unknown', user: 'r', ip: '198.51.100.70', pid: 3141,
    });
  });

  it('keeps lines of other programs, and lines it cannot read at all, as other', () => {
    expect(parse('Nov 26 06:00:00 host CRON[77]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)')).toMatchObject({ kind: 'other', pid: 77, user: null });
    expect(parse('not a syslog line at all')).toMatchObject({ kind: 'other', time: null, pid: null, raw: 'not a syslog line at all' });
    expect(parse('')).toMatchObject({ kind: 'other', raw: '' });
  });
});
