/** Bytes that are not UTF-8, huge lines and broken journal records: never a throw, never a dropped line. */
import { describe, expect, it } from 'vitest';
import { MAX_RAW_LOG_LINE } from '../../../shared/domain/logs';
import { parseFail2banLine, parseJournaldRecord, parseSyslogLine } from '../../../main/services/logs/parse';

const opts = { host: 'web-1', source: 'auth.log' as const, reference: new Date('2026-11-26T12:00:00Z'), timeZone: 'UTC' };

describe('encodings', () => {
  it('decodes valid UTF-8 as UTF-8 and anything else as Latin-1', () => {
    const latin1 = Buffer.from('Nov 26 06:00:00 h sshd[1]: Invalid user jos\xe9 from 192.0.2.1 port 1', 'latin1');
    expect(parseSyslogLine(latin1, opts)).toMatchObject({ kind: 'auth.invalid_user', user: 'josé', ip: '192.0.2.1' });
    const utf8 = Buffer.from('Nov 26 06:00:00 h sshd[1]: Invalid user jösé from 192.0.2.1 port 1', 'utf8');
    expect(parseSyslogLine(utf8, opts)).toMatchObject({ user: 'jösé' });
  });

  it('reads a journald MESSAGE given as an array of bytes', () => {
    const message = [...Buffer.from('Failed password for invalid user m\xfcller from 192.0.2.2 port 3 ssh2', 'latin1')];
    expect(parseJournaldRecord({ MESSAGE: message, SYSLOG_IDENTIFIER: 'sshd', _PID: '9', __REALTIME_TIMESTAMP: '1795674357534496' }, { host: 'web-1' })).toMatchObject({
      kind: 'auth.failed_password', user: 'müller', ip: '192.0.2.2', pid: 9, time: '2026-11-26T06:25:57.534Z',
      raw: 'sshd[9]: Failed password for invalid user müller from 192.0.2.2 port 3 ssh2',
    });
  });

  it('drops a CRLF line ending', () => {
    expect(parseSyslogLine('Nov 26 06:00:00 h sshd[1]: Invalid user a from 192.0.2.1 port 1\r\n', opts)).toMatchObject({ port: 1, raw: 'Nov 26 06:00:00 h sshd[1]: Invalid user a from 192.0.2.1 port 1' });
  });
});

describe('very long lines', () => {
  it('caps raw with a marker and answers quickly on a 100 KB line', () => {
    const line = `Nov 26 06:00:00 h sshd[1]: Invalid user ${'a'.repeat(100_000)} from 192.0.2.1 port 1`;
    const t = performance.now();
    const e = parseSyslogLine(line, opts);
    expect(performance.now() - t).toBeLessThan(100);
    expect(e.raw.startsWith(line.slice(0, MAX_RAW_LOG_LINE))).toBe(true);
    expect(e.raw).toMatch(/… \[\d+ more characters cut\]$/);
    expect(e.raw.length).toBeLessThan(MAX_RAW_LOG_LINE + 40);
    expect(e.kind).toBe('other');
  });

  it('survives 100 KB of repeated " from " (the address search walks them all)', () => {
    const line = `Nov 26 06:00:00 h sshd[1]: Failed password for ${' from x'.repeat(15_000)}`;
    const t = performance.now();
    expect(parseSyslogLine(line, opts).kind).toBe('auth.failed_password');
    expect(performance.now() - t).toBeLessThan(200);
  });

  it('caps a long journald MESSAGE and a long fail2ban line too', () => {
    const message = `Accepted password for a from 192.0.2.1 port 1 ssh2 ${'x'.repeat(50_000)}`;
    expect(parseJournaldRecord({ MESSAGE: message, SYSLOG_IDENTIFIER: 'sshd' }, { host: 'h' }).raw.length).toBeLessThan(MAX_RAW_LOG_LINE + 40);
    expect(parseFail2banLine(`2026-11-26 06:00:00,000 fail2ban.actions [1]: NOTICE [sshd] Ban 192.0.2.1 ${'y'.repeat(50_000)}`, { host: 'h' })).toMatchObject({ kind: 'f2b.ban', ip: '192.0.2.1' });
  });
});

describe('broken journald input', () => {
  it.each([
    ['truncated JSON', '{"MESSAGE":"Failed password for root from 192.0.2.1 port 1 ssh2"'],
    ['an array', '[1,2,3]'],
    ['null', 'null'],
    ['not JSON', 'Failed password for root from 192.0.2.1 port 1 ssh2'],
    ['empty', ''],
  ])('keeps %s as other with the text as raw', (_what, text) => {
    expect(parseJournaldRecord(text, { host: 'h' })).toEqual({
      time: null, host: 'h', source: 'journald', kind: 'other', ip: null, port: null, user: null, method: null, keyFingerprint: null, jail: null, pid: null, raw: text,
    });
  });

  it('keeps a record without MESSAGE, with a bad timestamp or a non-byte array as other', () => {
    expect(parseJournaldRecord('{"SYSLOG_IDENTIFIER":"sshd","_PID":"12"}', { host: 'h' })).toMatchObject({ kind: 'other', pid: 12, raw: 'sshd[12]: ' });
    expect(parseJournaldRecord({ MESSAGE: [300, -1], SYSLOG_IDENTIFIER: 'sshd', __REALTIME_TIMESTAMP: 'soon' }, { host: 'h' })).toMatchObject({ kind: 'other', time: null });
  });

  it('reads garbage bytes as Latin-1 text and keeps them', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x22]);
    expect(parseJournaldRecord(bytes, { host: 'h' })).toMatchObject({ kind: 'other', raw: '{ÿþ\u0000"' });
  });
});
