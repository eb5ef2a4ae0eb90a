/**
 * One sudo message into fields. sudo logs its own verdict per invocation ("admin : 3 incorrect
 * password attempts ; ... COMMAND=..."); PAM's "authentication failure" for the same invocation
 * stays `other` so a wrong password counts once.
 */
import { OTHER, pamPairs, type MessageFields } from './fields';

/** The reasons sudo refuses before running anything (sudo 1.8/1.9 wording). */
const REFUSAL = /^(?:\d+ incorrect password attempts?|user NOT in sudoers|user NOT authorized on host|command not allowed|a password is required|no password was provided) ; /;

export function parseSudoMessage(message: string): MessageFields {
  const text = message.trim();
  const entry = /^(\S+) : (.*)$/s.exec(text);
  if (entry) {
    const [, user, rest] = entry;
    if (REFUSAL.test(rest!)) return { kind: 'sudo.auth_failure', user: user! };
    if (/(?:^| ; )COMMAND=/.test(rest!)) return { kind: 'sudo.command', user: user! };
    return { kind: 'other', user: user! };
  }
  const pam = /^pam_unix\(sudo(?:-i)?:auth\): (.*)$/s.exec(text);
  if (pam) {
    const p = pamPairs(pam[1]!);
    return { kind: 'other', user: p.ruser ?? p.logname ?? p.user ?? null };
  }
  return OTHER;
}
