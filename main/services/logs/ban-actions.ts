/**
 * fail2ban actions on a host: unban an address from a jail, or ban one now. Both go through
 * fail2ban-client as root; the jail name and the address are validated before they reach the
 * shell (and quoted anyway), and the reply is fail2ban's own answer, so the user sees what the
 * host did.
 */
import { BulwarkError } from '../../../shared/errors';
import { isIPv4, isIPv6 } from '../../../shared/domain/validators';
import type { SshEngine, SshTarget } from '../ssh';
import { shellQuote } from '../ssh/quote';

/** fail2ban's jail names as its config allows them in practice: section names without spaces or brackets. */
const JAIL = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/;

export type BanAction = 'ban' | 'unban';

export interface BanActionResult {
  action: BanAction;
  jail: string;
  ip: string;
  /** What fail2ban-client printed: 1/0 for how many addresses changed, or its error. */
  output: string;
  ok: boolean;
}

export function banActionProblem(jail: string, ip: string): string | null {
  if (!JAIL.test(jail)) return `"${jail.slice(0, 40)}" is not a fail2ban jail name`;
  if (!isIPv4(ip) && !isIPv6(ip)) return `"${ip.slice(0, 60)}" is not an IPv4 or IPv6 address`;
  return null;
}

export function banCommand(action: BanAction, jail: string, ip: string): string {
  const problem = banActionProblem(jail, ip);
  if (problem) throw new BulwarkError('VALIDATION', problem, { ip: problem });
  return `fail2ban-client set ${shellQuote(jail)} ${action === 'ban' ? 'banip' : 'unbanip'} ${shellQuote(ip)}`;
}

export async function runBanAction(
  engine: SshEngine,
  target: SshTarget,
  o: { action: BanAction; jail: string; ip: string; sudoPassword?: string | undefined; signal?: AbortSignal },
): Promise<BanActionResult> {
  const command = banCommand(o.action, o.jail, o.ip);
  const r = await engine.sudo(target, command, { timeoutMs: 30_000, ...(o.sudoPassword ? { password: o.sudoPassword } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  const output = `${r.stdout}${r.stderr}`.trim().slice(0, 2000);
  return { action: o.action, jail: o.jail, ip: o.ip, output, ok: r.code === 0 };
}
