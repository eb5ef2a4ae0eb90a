/**
 * Turning whatever a host sent into one bounded string. Log files and journald MESSAGE arrays
 * may hold bytes that are not UTF-8 (a Latin-1 user name, a scanner's garbage); a line may be
 * megabytes long. Neither may throw or drop the line.
 */
import { isUtf8 } from 'node:buffer';
import { MAX_RAW_LOG_LINE } from '../../../../shared/domain/logs';

/** Valid UTF-8 decodes as UTF-8; anything else as Latin-1, which maps every byte to a character. */
export function decodeLogBytes(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return bytes.toString(isUtf8(bytes) ? 'utf8' : 'latin1');
}

/** Cuts a line at MAX_RAW_LOG_LINE characters and says how much was left out. */
export function capLine(line: string): string {
  if (line.length <= MAX_RAW_LOG_LINE) return line;
  return `${line.slice(0, MAX_RAW_LOG_LINE)}… [${line.length - MAX_RAW_LOG_LINE} more characters cut]`;
}

/** A log line as received: decoded, without its line ending, capped. */
export function logLineText(input: string | Uint8Array): string {
  return capLine(decodeLogBytes(input).replace(/\r?\n$/, ''));
}
