/**
 * One line of /var/log/auth.log or /var/log/secure. rsyslog writes RFC 3339 timestamps on Debian
 * 12 and later ("2026-11-26T06:25:57.598391+00:00 host sshd[40]: ..."), the traditional RFC 3164
 * form elsewhere ("Jun 21 16:47:48 host sshd[40]: ..."); relays may forward RFC 5424. Some
 * senders leave out the host name or the pid.
 */
import type { LogEvent } from '../../../../shared/domain/logs';
import { pidNumber, parseProgramMessage, toEvent } from './program';
import type { SshdSessions } from './sessions';
import { logLineText } from './text';
import { RFC3164_TIMESTAMP, RFC3339_TIMESTAMP, rfc3164ToIso, rfc3339ToIso, type YearOptions } from './time';

export interface SyslogLineOptions extends YearOptions {
  /** The inventory host the line was read from. */
  host: string;
  source: 'auth.log' | 'secure';
}

interface Header {
  time: string | null;
  program: string | null;
  pid: number | null;
  message: string;
}

/** `[host ]program[pid]: message`; host names and tags never hold ':' or brackets. */
const TAG = /^(?:[^\s:[\]]+ )?([^\s:[\]]+)(?:\[(\d+)\])?: ?(.*)$/s;
/** `[host ][program][:] message`, as some BSD-style senders write it. */
const BRACKETED_TAG = /^(?:[^\s:[\]]+ )?\[([\w.-]+)\]:? (.*)$/s;
/** `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`; SD values are quoted and may hold brackets. */
const RFC5424 = /^<\d{1,3}>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]"\\]|"(?:[^"\\]|\\.)*")*\])+) ?(.*)$/s;

function tagged(time: string | null, rest: string): Header {
  const tag = TAG.exec(rest);
  if (tag) return { time, program: tag[1]!, pid: pidNumber(tag[2]), message: tag[3]! };
  const bracketed = BRACKETED_TAG.exec(rest);
  if (bracketed) return { time, program: bracketed[1]!, pid: null, message: bracketed[2]! };
  return { time, program: null, pid: null, message: rest };
}

function header(line: string, opts: YearOptions): Header {
  const structured = RFC5424.exec(line);
  if (structured) {
    const stamp = RFC3339_TIMESTAMP.exec(`${structured[1]} `);
    const nil = (v: string) => (v === '-' ? null : v);
    return {
      time: stamp ? rfc3339ToIso(stamp) : null,
      program: nil(structured[3]!),
      pid: pidNumber(structured[4]),
      message: structured[7]!.replace(/^\uFEFF/, ''),
    };
  }
  const text = line.replace(/^<\d{1,3}>/, '');
  const iso = RFC3339_TIMESTAMP.exec(text);
  if (iso) return tagged(rfc3339ToIso(iso), text.slice(iso[0].length));
  const bsd = RFC3164_TIMESTAMP.exec(text);
  if (bsd) return tagged(rfc3164ToIso(bsd, opts), text.slice(bsd[0].length));
  return tagged(null, text);
}

export function parseSyslogLine(input: string | Uint8Array, opts: SyslogLineOptions, sessions?: SshdSessions): LogEvent {
  const raw = logLineText(input);
  const h = header(raw, opts);
  const fields = parseProgramMessage(h.program, h.message);
  return toEvent({ time: h.time, host: opts.host, source: opts.source, program: h.program, pid: h.pid, raw }, fields, sessions);
}
