/**
 * Which log sources a host has and how to follow each one, decided from a small probe run as
 * the login user: one streaming SSH channel per source (at most two per host, within the
 * MaxSessions 2 that Strict SSH sets).
 *
 * - auth events: /var/log/auth.log (Debian/Ubuntu with rsyslog), /var/log/secure (RHEL), else
 *   the journal filtered to sshd, sshd-session, sshd-auth (OpenSSH 9.8+ and 10), sudo and the
 *   fail2ban unit;
 * - fail2ban: its own /var/log/fail2ban.log where it exists (fail2ban's default log target, on
 *   journald-only hosts too).
 *
 * Reading needs root or a group: adm for the files (Debian's root:adm 0640), adm or
 * systemd-journal for the journal. Without them the follower runs through sudo.
 */
import { BulwarkError } from '../../../shared/errors';
import type { LogSource } from '../../../shared/domain/logs';

export const PROBE_COMMAND = [
  'id -u',
  'id -Gn',
  'for f in /var/log/auth.log /var/log/secure /var/log/fail2ban.log; do [ -e "$f" ] && printf "file %s\\n" "$f"; done',
  'command -v journalctl >/dev/null 2>&1 && echo journalctl',
  // the zone RFC 3164 lines are written in (they carry none themselves)
  'printf "zone %s\\n" "$(readlink /etc/localtime 2>/dev/null | sed -n "s#.*/zoneinfo/##p")"',
  // the journal follower merges every journal file (see follow-commands.ts) and keeps this machine's records
  'printf "machine %s\\n" "$(cat /etc/machine-id 2>/dev/null)"',
  ':',
].join('; ');

export interface FileSource {
  kind: 'file';
  source: Exclude<LogSource, 'journald'>;
  path: '/var/log/auth.log' | '/var/log/secure' | '/var/log/fail2ban.log';
  sudo: boolean;
}
export interface JournalSource {
  kind: 'journal';
  source: 'journald';
  sudo: boolean;
}
export type SourceSpec = FileSource | JournalSource;

export interface HostLogPlan {
  sources: SourceSpec[];
  /** IANA zone for RFC 3164 timestamps; undefined when the host did not say. */
  timeZone: string | undefined;
  /** /etc/machine-id: journal records of other machines (journal-remote) are not this host's. */
  machineId: string | undefined;
}

function validZone(zone: string): string | undefined {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone)) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

export function planSources(probeOutput: string, hostName: string): HostLogPlan {
  const lines = probeOutput.split('\n').map((l) => l.trim());
  const uid = lines[0] ?? '';
  if (!/^\d+$/.test(uid)) throw new BulwarkError('INTERNAL', `${hostName} did not answer the log probe (${probeOutput.slice(0, 120).trim() || 'no output'})`);
  const groups = new Set((lines[1] ?? '').split(/\s+/));
  const files = new Set(lines.filter((l) => l.startsWith('file ')).map((l) => l.slice(5)));
  const root = uid === '0';
  const fileSudo = !(root || groups.has('adm'));
  const journalSudo = !(root || groups.has('adm') || groups.has('systemd-journal'));
  const sources: SourceSpec[] = [];
  if (files.has('/var/log/auth.log')) sources.push({ kind: 'file', source: 'auth.log', path: '/var/log/auth.log', sudo: fileSudo });
  else if (files.has('/var/log/secure')) sources.push({ kind: 'file', source: 'secure', path: '/var/log/secure', sudo: fileSudo });
  else if (lines.includes('journalctl')) sources.push({ kind: 'journal', source: 'journald', sudo: journalSudo });
  if (files.has('/var/log/fail2ban.log')) sources.push({ kind: 'file', source: 'fail2ban.log', path: '/var/log/fail2ban.log', sudo: fileSudo });
  if (!sources.length) {
    throw new BulwarkError('NOT_FOUND', `${hostName} has no auth log Bulwark can follow: no /var/log/auth.log, /var/log/secure or journalctl`);
  }
  const zoneLine = lines.find((l) => l.startsWith('zone '));
  const machine = lines.find((l) => l.startsWith('machine '))?.slice(8);
  return { sources, timeZone: zoneLine ? validZone(zoneLine.slice(5)) : undefined, machineId: machine && /^[0-9a-f]{32}$/.test(machine) ? machine : undefined };
}
