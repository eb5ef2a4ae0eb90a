/**
 * The logs the test fleet wrote under real attacks (tests/fixtures/logs/README.md), parsed in
 * order with one session memory per file, as the collector will read them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogEventSchema, type LogEvent } from '../../../shared/domain/logs';
import { parseFail2banLine, parseJournaldRecord, parseSyslogLine, SshdSessions } from '../../../main/services/logs/parse';

const DIR = join(__dirname, '../../fixtures/logs');

export function fixtureLines(name: string): string[] {
  return readFileSync(join(DIR, name), 'utf8').replace(/\n$/, '').split('\n');
}

/** The fleet ran in UTC; its clock read 2026-11-26 when the lines were written. */
const REFERENCE = new Date('2026-11-26T07:00:00Z');

export function authLogEvents(): LogEvent[] {
  const sessions = new SshdSessions();
  return fixtureLines('fleet-01.auth.log').map((l) => parseSyslogLine(l, { host: 'fleet-01', source: 'auth.log', reference: REFERENCE, timeZone: 'UTC' }, sessions));
}

export function journalEvents(): LogEvent[] {
  const sessions = new SshdSessions();
  return fixtureLines('fleet-02.journal.json').map((l) => parseJournaldRecord(l, { host: 'fleet-02' }, sessions));
}

export function fail2banEvents(): LogEvent[] {
  return fixtureLines('fleet-01.fail2ban.log').map((l) => parseFail2banLine(l, { host: 'fleet-01', timeZone: 'UTC' }));
}

/** The one event whose raw line contains `needle` (fails loudly when none or several do). */
export function only(events: LogEvent[], needle: string): LogEvent {
  const found = events.filter((e) => e.raw.includes(needle));
  if (found.length !== 1) throw new Error(`${found.length} events contain ${JSON.stringify(needle)}`);
  return found[0]!;
}

export function kindCounts(events: LogEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}

export function expectValidEvents(events: LogEvent[]): void {
  for (const e of events) LogEventSchema.parse(e);
}
