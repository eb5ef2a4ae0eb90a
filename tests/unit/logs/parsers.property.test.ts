/**
 * Whatever arrives, every parser answers with one schema-valid event and a bounded raw. Inputs
 * are arbitrary bytes and strings, and real fleet lines with a random slice replaced, which
 * reach deeper into the message rules than random text does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogEventSchema, MAX_RAW_LOG_LINE } from '../../../shared/domain/logs';
import { parseFail2banLine, parseJournaldRecord, parseSyslogLine, SshdSessions } from '../../../main/services/logs/parse';
import { fixtureLines } from './fleet-fixtures';

const sessions = new SshdSessions(64);
const parsers = [
  (input: string | Uint8Array) => parseSyslogLine(input, { host: 'h', source: 'auth.log', reference: new Date('2026-11-26T00:00:00Z'), timeZone: 'Europe/Berlin' }, sessions),
  (input: string | Uint8Array) => parseJournaldRecord(input, { host: 'h' }, sessions),
  (input: string | Uint8Array) => parseFail2banLine(input, { host: 'h', timeZone: 'America/New_York' }),
];

const realLines = [...fixtureLines('fleet-01.auth.log'), ...fixtureLines('fleet-02.journal.json'), ...fixtureLines('fleet-01.fail2ban.log')];

/** A real line with one slice replaced by random text. */
const mutatedLine = fc
  .tuple(fc.constantFrom(...realLines), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 40 }))
  .map(([line, a, b, insert]) => {
    const [from, to] = [a % (line.length + 1), b % (line.length + 1)].sort((x, y) => x - y);
    return line.slice(0, from) + insert + line.slice(to);
  });

function holds(input: string | Uint8Array): void {
  for (const parse of parsers) {
    const event = parse(input);
    expect(LogEventSchema.safeParse(event).success).toBe(true);
    expect(event.raw.length).toBeLessThanOrEqual(MAX_RAW_LOG_LINE + 40);
  }
}

describe('parsers under arbitrary input', () => {
  it('never throw and always give a valid event, for mutated real lines', () => {
    fc.assert(fc.property(mutatedLine, (line) => holds(line)), { numRuns: 2000 });
  });

  it('never throw and always give a valid event, for arbitrary bytes and strings', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), (input) => holds(input)), { numRuns: 1000 });
  });
});
