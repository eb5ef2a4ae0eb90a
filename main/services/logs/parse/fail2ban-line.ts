/**
 * One line of /var/log/fail2ban.log. Its timestamps are the host's local time without a zone.
 */
import type { LogEvent } from '../../../../shared/domain/logs';
import { FAIL2BAN_LINE, parseFail2banMessage } from './fail2ban-message';
import { pidNumber, toEvent } from './program';
import { logLineText } from './text';
import { wallClockToIso, type ZoneOptions } from './time';

export interface Fail2banLineOptions extends ZoneOptions {
  host: string;
}

export function parseFail2banLine(input: string | Uint8Array, opts: Fail2banLineOptions): LogEvent {
  const raw = logLineText(input);
  const m = FAIL2BAN_LINE.exec(raw);
  if (!m) return toEvent({ time: null, host: opts.host, source: 'fail2ban.log', program: null, pid: null, raw }, { kind: 'other' });
  const [year, month, day, hour, minute, second, millisecond] = m.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
  const time = wallClockToIso({ year, month, day, hour, minute, second, millisecond }, opts);
  return toEvent({ time, host: opts.host, source: 'fail2ban.log', program: m[8]!, pid: pidNumber(m[9]), raw }, parseFail2banMessage(m[11]!));
}
