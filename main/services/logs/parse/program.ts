/**
 * Which message parser reads a line, by the program that logged it, and the event around the
 * message's fields. Shared by the syslog and journald readers so both give identical events.
 */
import type { LogEvent, LogSource } from '../../../../shared/domain/logs';
import { parseFail2banMessage, stripFail2banPrefix } from './fail2ban-message';
import { OTHER, type MessageFields } from './fields';
import type { SshdSessions } from './sessions';
import { parseSshdMessage } from './sshd-message';
import { parseSudoMessage } from './sudo-message';

/** sshd, and the per-connection binaries of OpenSSH 9.8+ (sshd-session) and 10 (sshd-auth). */
export const SSHD_PROGRAMS = /^sshd(?:-session|-auth)?$/;

export function parseProgramMessage(program: string | null, message: string): MessageFields {
  if (program === null) return OTHER;
  if (SSHD_PROGRAMS.test(program)) return parseSshdMessage(message);
  if (program === 'sudo') return parseSudoMessage(message);
  if (program.startsWith('fail2ban')) return parseFail2banMessage(stripFail2banPrefix(message));
  return OTHER;
}

export interface LineContext {
  time: string | null;
  host: string;
  source: LogSource;
  program: string | null;
  pid: number | null;
  raw: string;
}

export function toEvent(line: LineContext, fields: MessageFields, sessions?: SshdSessions): LogEvent {
  let ip = fields.ip ?? null;
  let port = fields.port ?? null;
  if (sessions && line.pid !== null && line.program !== null && SSHD_PROGRAMS.test(line.program)) {
    if (ip !== null) {
      // PAM's rhost= carries no port: keep the one the connection's earlier lines gave
      const known = port === null ? sessions.recall(line.host, line.pid) : undefined;
      if (known?.ip === ip) port = known.port;
      sessions.remember(line.host, line.pid, { ip, port });
    } else {
      const known = sessions.recall(line.host, line.pid);
      if (known) ({ ip, port } = known);
    }
  }
  return {
    time: line.time,
    host: line.host,
    source: line.source,
    kind: fields.kind,
    ip,
    port,
    user: fields.user ?? null,
    method: fields.method ?? null,
    keyFingerprint: fields.keyFingerprint ?? null,
    jail: fields.jail ?? null,
    pid: line.pid,
    raw: line.raw,
  };
}

export function pidNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return null;
  return Number(value);
}
