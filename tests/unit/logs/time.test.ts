import { describe, expect, it } from 'vitest';
import { parseJournaldRecord, parseSyslogLine } from '../../../main/services/logs/parse';

const line = (stamp: string) => `${stamp} h sshd[1]: Server listening on :: port 22.`;
const at = (stamp: string, reference: string, timeZone?: string) =>
  parseSyslogLine(line(stamp), { host: 'h', source: 'secure', reference: new Date(reference), timeZone }).time;

describe('timestamps', () => {
  it('gives RFC 3164 lines the reference year, or the one before for a month still ahead', () => {
    expect(at('Nov 26 06:00:00', '2026-11-26T07:00:00Z', 'UTC')).toBe('2026-11-26T06:00:00.000Z');
    expect(at('Dec 31 23:59:59', '2027-01-02T00:00:00Z', 'UTC')).toBe('2026-12-31T23:59:59.000Z');
    // a month ahead is clock skew between hosts, not last year
    expect(at('Dec  1 00:00:00', '2026-11-30T23:00:00Z', 'UTC')).toBe('2026-12-01T00:00:00.000Z');
  });

  it('converts RFC 3164 wall-clock times with the zone, across daylight saving time', () => {
    expect(at('Jul  1 12:00:00', '2026-07-02T00:00:00Z', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    expect(at('Jan 15 12:00:00', '2026-01-16T00:00:00Z', 'Europe/Berlin')).toBe('2026-01-15T11:00:00.000Z');
    expect(at('Mar 29 03:30:00', '2026-03-30T00:00:00Z', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(at('Nov  1 12:00:00', '2026-11-02T00:00:00Z', 'America/New_York')).toBe('2026-11-01T17:00:00.000Z');
  });

  it("takes the year from the reference's local date, not its UTC date", () => {
    // 23:30 UTC on New Year's Eve is already 2027 in Berlin, and a Berlin line from 00:10 is from 2027
    expect(at('Jan  1 00:10:00', '2026-12-31T23:30:00Z', 'Europe/Berlin')).toBe('2026-12-31T23:10:00.000Z');
    expect(at('Dec 31 23:50:00', '2027-01-01T03:00:00Z', 'America/New_York')).toBe('2027-01-01T04:50:00.000Z');
  });

  it('leaves the wall-clock time unmarked when the zone is unknown, and refuses impossible dates', () => {
    expect(at('Jun 21 16:47:48', '2026-11-26T00:00:00Z')).toBe('2026-06-21T16:47:48.000');
    expect(at('Feb 30 10:00:00', '2026-11-26T00:00:00Z', 'UTC')).toBeNull();
    expect(at('Jun 21 16:47:48', '2026-11-26T00:00:00Z', 'Not/AZone')).toBe('2026-06-21T16:47:48.000');
  });

  it('reads RFC 3339 offsets into UTC', () => {
    expect(at('2026-11-26T06:00:00.123456+00:00', '2020-01-01T00:00:00Z')).toBe('2026-11-26T06:00:00.123Z');
    expect(at('2026-11-26T01:00:00-05:00', '2020-01-01T00:00:00Z')).toBe('2026-11-26T06:00:00.000Z');
    expect(at('2026-11-26T06:00:00Z', '2020-01-01T00:00:00Z')).toBe('2026-11-26T06:00:00.000Z');
  });

  it('reads journald microseconds', () => {
    expect(parseJournaldRecord({ MESSAGE: 'x', __REALTIME_TIMESTAMP: '1795674357534496' }, { host: 'h' }).time).toBe('2026-11-26T06:25:57.534Z');
  });
});
