/**
 * Control 5: UFW. Default deny incoming and allow outgoing, SSH allowed (from anywhere or from
 * a CIDR), optionally everything from the LAN, then enabled. The plan is refused when no rule
 * would let Bulwark's own address (the host's $SSH_CONNECTION) reach the SSH port it uses:
 * enabling that firewall would cut the session it runs in.
 *
 * Rules go through the ufw CLI (its rule files are ufw's own format); the files it changes are
 * backed up, and a rollback puts them back and reloads or disables ufw as they say.
 */
import { cidrContains, cidrProblem } from '../../../../shared/domain/validators';
import { z } from '../../../../shared/zod';
import { shellQuote } from '../../ssh/quote';
import { type Control, type ControlContext, emptyPlan } from '../control';
import type { UfwRule } from '../facts';

const cidr = z.string().superRefine((v, ctx) => {
  const p = cidrProblem(v);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});

export const ufwParams = z
  .object({
    /** Where SSH may come from: 'anywhere' or a CIDR. */
    sshFrom: z.union([z.literal('anywhere'), cidr]).default('anywhere'),
    /** Everything from this subnet is allowed (the guide's "allow from the LAN"); null: none. */
    lanCidr: cidr.nullable().default(null),
  })
  .strict();
export type UfwParams = z.output<typeof ufwParams>;

export const UFW_FILES = ['/etc/ufw/user.rules', '/etc/ufw/user6.rules', '/etc/ufw/ufw.conf', '/etc/default/ufw'];
const RESTORE_UFW = "if grep -q '^ENABLED=yes' /etc/ufw/ufw.conf; then ufw reload; else ufw --force disable; fi";

function sshPorts(ctx: ControlContext): number[] {
  const ports = (ctx.facts.sshd.effective.get('port') ?? []).map(Number).filter((n) => Number.isInteger(n));
  return ports.length ? ports : [ctx.login.port];
}

function anywhere(from: string): boolean {
  return from === '0.0.0.0/0' || from === '::/0' || from === 'anywhere';
}

/** The rule a tuple would need to be to let `source` reach tcp `port`. */
export function allows(rule: Pick<UfwRule, 'action' | 'proto' | 'port' | 'from' | 'direction'>, source: string, port: number): boolean {
  if (rule.direction !== 'in' || (rule.action !== 'allow' && rule.action !== 'limit')) return false;
  if (rule.proto !== 'tcp' && rule.proto !== 'any') return false;
  if (rule.port !== 'any' && !rule.port.split(',').some((p) => (p.includes(':') ? Number(p.split(':')[0]) <= port && port <= Number(p.split(':')[1]) : Number(p) === port))) return false;
  return rule.from === 'any' || anywhere(rule.from) || cidrContains(rule.from, source);
}

/** The first rule deciding `source` -> tcp `port`, as ufw evaluates user rules (first match). */
export function firstMatch(rules: readonly UfwRule[], source: string, port: number): UfwRule | undefined {
  return rules.find((r) => {
    if (r.direction !== 'in' || (r.proto !== 'tcp' && r.proto !== 'any')) return false;
    const portOk = r.port === 'any' || r.port.split(',').some((p) => (p.includes(':') ? Number(p.split(':')[0]) <= port && port <= Number(p.split(':')[1]) : Number(p) === port));
    const fromOk = r.from === 'any' || anywhere(r.from) || cidrContains(r.from, source);
    return portOk && fromOk;
  });
}

interface Wanted {
  ssh: Array<{ port: number; from: string }>;
  lan: string | null;
}

function wanted(ctx: ControlContext, p: UfwParams): Wanted {
  const from = p.sshFrom === 'anywhere' ? '0.0.0.0/0' : p.sshFrom;
  return { ssh: sshPorts(ctx).map((port) => ({ port, from })), lan: p.lanCidr };
}

function hasSshRule(rules: readonly UfwRule[], port: number, from: string): boolean {
  return rules.some((r) => r.direction === 'in' && r.action === 'allow' && (r.proto === 'tcp' || r.proto === 'any') && r.port === String(port) && (r.from === from || (anywhere(r.from) && anywhere(from))));
}

function hasLanRule(rules: readonly UfwRule[], lan: string): boolean {
  return rules.some((r) => r.direction === 'in' && r.action === 'allow' && r.proto === 'any' && r.port === 'any' && r.from === lan);
}

export const ufw: Control<UfwParams> = {
  id: 'ufw',
  title: 'UFW: deny incoming, allow SSH',
  reason: 'A host should accept only what it serves; everything else is dropped before it reaches a daemon.',
  params: ufwParams as unknown as z.ZodType<UfwParams>,
  kind: 'change',
  check(ctx, p) {
    const u = ctx.facts.ufw;
    if (!u.installed) return { status: 'drift', evidence: ['ufw is not installed'] };
    const w = wanted(ctx, p);
    const evidence = [
      `ufw ${u.active ? 'active' : 'inactive'}`,
      `defaults: incoming ${u.defaults?.incoming ?? '?'}, outgoing ${u.defaults?.outgoing ?? '?'}`,
    ];
    let ok = u.active && u.defaults?.incoming === 'DROP' && u.defaults.outgoing === 'ACCEPT';
    for (const s of w.ssh) {
      const has = hasSshRule(u.rules, s.port, s.from);
      evidence.push(`${has ? 'has' : 'missing'}: allow tcp ${s.port} from ${anywhere(s.from) ? 'anywhere' : s.from}`);
      ok = ok && has;
    }
    if (w.lan) {
      const has = hasLanRule(u.rules, w.lan);
      evidence.push(`${has ? 'has' : 'missing'}: allow from ${w.lan}`);
      ok = ok && has;
    }
    return { status: ok ? 'compliant' : 'drift', evidence };
  },
  plan(ctx, p) {
    const plan = emptyPlan();
    const u = ctx.facts.ufw;
    const w = wanted(ctx, p);
    if (!u.installed) {
      plan.commands.push('DEBIAN_FRONTEND=noninteractive apt-get install -y -q ufw');
    }
    // the rules as they will be, in ufw's order: existing first, ours appended
    const resulting: UfwRule[] = [...u.rules];
    const q = shellQuote;
    for (const s of w.ssh) {
      if (hasSshRule(u.rules, s.port, s.from)) continue;
      const from = anywhere(s.from) ? 'any' : s.from;
      plan.commands.push(`ufw allow proto tcp from ${q(from)} to any port ${s.port} comment ${q('bulwark: ssh')}`);
      resulting.push({ action: 'allow', proto: 'tcp', port: String(s.port), from: anywhere(s.from) ? '0.0.0.0/0' : s.from, direction: 'in', tuple: '' });
    }
    if (w.lan && !hasLanRule(u.rules, w.lan)) {
      plan.commands.push(`ufw allow from ${q(w.lan)} comment ${q('bulwark: lan')}`);
      resulting.push({ action: 'allow', proto: 'any', port: 'any', from: w.lan, direction: 'in', tuple: '' });
    }
    if (u.defaults?.incoming !== 'DROP') plan.commands.push('ufw default deny incoming');
    if (u.defaults?.outgoing !== 'ACCEPT') plan.commands.push('ufw default allow outgoing');

    const me = ctx.facts.connection;
    if (!me) {
      plan.refused = { reason: 'The host did not tell which address Bulwark connects from ($SSH_CONNECTION is empty).', fix: 'Check that sshd sets SSH_CONNECTION (it always does for OpenSSH sessions).' };
      return plan;
    }
    // the port this very session came in on
    const port = me.serverPort;
    const decider = firstMatch(resulting, me.clientAddress, port);
    if (!decider || !allows(decider, me.clientAddress, port)) {
      plan.refused = {
        reason: `No rule would let Bulwark's address ${me.clientAddress} reach SSH on port ${port}${decider ? ` (the first matching rule is: ${decider.tuple || `${decider.action} from ${decider.from}`})` : ''}: enabling the firewall would cut this session.`,
        fix: `Allow SSH from a range that includes ${me.clientAddress}, or add it to the LAN range.`,
      };
      return plan;
    }
    if (!u.active) plan.commands.push('ufw --force enable');
    plan.touch.push(...UFW_FILES);
    plan.onRestore.push(RESTORE_UFW);
    plan.cutsAccess = true;
    return plan;
  },
};
