/**
 * One record of `journalctl -o json`. MESSAGE is a string, or an array of bytes when it is not
 * valid UTF-8; numbers arrive as strings; __REALTIME_TIMESTAMP is in microseconds. SYSLOG_*
 * fields are what the sender claimed, `_`-fields what journald saw, so the latter win.
 */
import type { LogEvent } from '../../../../shared/domain/logs';
import { pidNumber, parseProgramMessage, toEvent } from './program';
import type { SshdSessions } from './sessions';
import { capLine, decodeLogBytes } from './text';
import { journalMicrosToIso } from './time';

export interface JournaldOptions {
  host: string;
}

/** Beyond this a "record" is not journald's: not worth a JSON.parse. */
const MAX_RECORD_TEXT = 1024 * 1024;

function messageText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return decodeLogBytes(Uint8Array.from(value as number[]));
  return null;
}

function stringField(record: Record<string, unknown>, name: string): string | null {
  const v = record[name];
  return typeof v === 'string' && v !== '' ? v : null;
}

function asRecord(input: string | Uint8Array | Record<string, unknown>): Record<string, unknown> | string {
  if (typeof input === 'object' && !(input instanceof Uint8Array)) return input;
  const text = decodeLogBytes(input).trim();
  if (text.length > MAX_RECORD_TEXT) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : text;
  } catch {
    return text;
  }
}

export function parseJournaldRecord(input: string | Uint8Array | Record<string, unknown>, opts: JournaldOptions, sessions?: SshdSessions): LogEvent {
  const record = asRecord(input);
  if (typeof record === 'string') {
    return toEvent({ time: null, host: opts.host, source: 'journald', program: null, pid: null, raw: capLine(record) }, { kind: 'other' });
  }
  const message = messageText(record.MESSAGE) ?? '';
  const program = stringField(record, 'SYSLOG_IDENTIFIER') ?? stringField(record, '_COMM');
  const pid = pidNumber(record._PID) ?? pidNumber(record.SYSLOG_PID);
  const prefix = program === null ? '' : pid === null ? `${program}: ` : `${program}[${pid}]: `;
  const raw = capLine(prefix + message);
  // parse the capped text: the regexes then never see more than MAX_RAW_LOG_LINE characters
  const fields = parseProgramMessage(program, raw.slice(prefix.length));
  return toEvent({ time: journalMicrosToIso(record.__REALTIME_TIMESTAMP), host: opts.host, source: 'journald', program, pid, raw }, fields, sessions);
}
