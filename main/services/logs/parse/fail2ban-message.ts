/**
 * fail2ban's messages ("[sshd] Ban 192.0.2.1"), from fail2ban.log or, where fail2ban logs to
 * the journal, from a journald MESSAGE.
 */
import { normalizeRemote } from './address';
import { OTHER, type MessageFields } from './fields';

const JAIL_ACTION = /^\[([^\]\s]+)\] (Found|Ban|Restore Ban|Increase Ban|Reban|Unban) (\S+)/;
const ALREADY_BANNED = /^\[([^\]\s]+)\] (\S+) already banned/;

const ACTION_KINDS: Record<string, MessageFields['kind']> = {
  Found: 'f2b.found',
  Ban: 'f2b.ban',
  'Increase Ban': 'f2b.ban', // bantime.increment: a repeat offender's longer ban
  'Restore Ban': 'f2b.restore_ban', // bans re-applied from the database at start
  Reban: 'f2b.restore_ban',
  Unban: 'f2b.unban',
};

export function parseFail2banMessage(message: string): MessageFields {
  const action = JAIL_ACTION.exec(message);
  if (action) return { kind: ACTION_KINDS[action[2]!]!, jail: action[1]!, ip: normalizeRemote(action[3]!) };
  const already = ALREADY_BANNED.exec(message);
  if (already) return { kind: 'f2b.already_banned', jail: already[1]!, ip: normalizeRemote(already[2]!) };
  const jail = /^\[([^\]\s]+)\] /.exec(message);
  return jail ? { kind: 'other', jail: jail[1]! } : OTHER;
}

/** fail2ban.log's layout: "2026-11-26 06:27:21,416 fail2ban.actions [40]: NOTICE  [sshd] Ban 10.213.3.250" (0.8: no pid). */
export const FAIL2BAN_LINE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) (fail2ban[\w.]*)\s*(?:\[(\d+)\])?: (?:([A-Z]+)\s+)?(.*)$/s;

/** A journald MESSAGE from fail2ban may still carry the logger and level in front. */
export function stripFail2banPrefix(message: string): string {
  return message.replace(/^fail2ban[\w.]*\s*(?:\[\d+\])?: (?:[A-Z]+\s+)?/, '').replace(/^[A-Z]+\s+(?=\[)/, '');
}
