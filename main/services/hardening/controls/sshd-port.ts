/**
 * Control 3: move sshd to another port without ever having no way in. A one-shot change would
 * drop the session the change runs over before anything can prove the new port works, so the
 * control never plans the move itself: `portStage` gives the two apply specs the staged apply
 * (apply-port-change.ts) runs, with a fresh connection on the new port in between:
 *
 *   open:  UFW allows the new port, the fail2ban jail watches both, sshd listens on both;
 *   close: sshd, UFW and the jail keep only the new port.
 *
 * Both stages are pure functions of the facts of the moment, each refused unless Bulwark's own
 * address (the host's $SSH_CONNECTION) can reach the new port through the resulting UFW rules.
 * Once the port is reached, the control's plan puts `Port N` into Bulwark's drop-in like any
 * other sshd setting, so later applies keep it.
 */
import { z } from '../../../../shared/zod';
import { shellQuote } from '../../ssh/quote';
import type { ApplySpec } from '../apply-script';
import { type CheckResult, type Control, type ControlContext, emptyPlan } from '../control';
import type { HostFacts, UfwRule } from '../facts';
import { BULWARK_DROPIN, commentOut, parseConfigLines, renderDropin, withInclude } from '../sshd-config';
import { JAIL_FILE } from './fail2ban';
import { UFW_FILES, allows, firstMatch } from './ufw';

export const SSHD_PORT_ID = 'sshd-port';
export const SOCKET_DROPIN = '/etc/systemd/system/ssh.socket.d/zz-bulwark-port.conf';
const MAIN = '/etc/ssh/sshd_config';

export const sshdPortParams = z
  .object({
    /** The port sshd should listen on; absent: the control does not apply. */
    port: z.number().int().min(1).max(65535).optional(),
  })
  .strict();
export type SshdPortParams = z.output<typeof sshdPortParams>;

/** The ports sshd listens on now (sshd -T), else the one Bulwark came in on. */
export function currentPorts(ctx: ControlContext): number[] {
  const ports = (ctx.facts.sshd.effective.get('port') ?? []).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return ports.length ? [...new Set(ports)] : [ctx.login.port];
}

function portList(rule: UfwRule): string[] {
  return rule.port.split(',');
}

/** An allow/limit rule for exactly this one tcp port (not part of a list or range). */
function isPortRule(r: UfwRule, port: number): boolean {
  return r.direction === 'in' && (r.action === 'allow' || r.action === 'limit') && (r.proto === 'tcp' || r.proto === 'any') && portList(r).length === 1 && r.port === String(port);
}

function anywhere(from: string): boolean {
  return from === '0.0.0.0/0' || from === '::/0' || from === 'any';
}

/** The ufw rule spec (without the verb) of a tuple: `proto tcp from 'any' to any port 22`. */
function ruleSpec(r: Pick<UfwRule, 'proto' | 'from'>, port: number): string {
  const from = shellQuote(anywhere(r.from) ? 'any' : r.from);
  return `${r.proto === 'tcp' ? 'proto tcp ' : ''}from ${from} to any port ${port}`;
}

function jailPort(facts: HostFacts): string | null {
  const jail = facts.fail2ban.jailFiles.find((j) => j.path === JAIL_FILE);
  if (!jail) return null;
  return /^port\s*=\s*(.*)$/m.exec(jail.content)?.[1]?.trim() ?? '';
}

/** sshd lines that set a port some other way: ListenAddress host:port ignores Port. */
function listenAddressWithPort(facts: HostFacts): string[] {
  const files = [{ path: MAIN, content: facts.sshd.mainConfig }, ...facts.sshd.dropins];
  return files.flatMap((f) =>
    parseConfigLines(f.path, f.content)
      .filter((l) => l.keyword === 'listenaddress' && /(?:^\[.*\]:\d+|^[^:\s]+:\d+)(?:\s|$)/.test(l.value))
      .map((l) => `${l.file}:${l.line}: ListenAddress ${l.value}`),
  );
}

export function checkPort(ctx: ControlContext, p: SshdPortParams): CheckResult {
  if (p.port === undefined) return { status: 'not-applicable', evidence: ['no port chosen'] };
  const { facts } = ctx;
  if (facts.sshd.testError) return { status: 'unknown', evidence: [`sshd -T failed: ${facts.sshd.testError}`] };
  const ports = currentPorts(ctx);
  const onlyNew = ports.length === 1 && ports[0] === p.port;
  const evidence = [`sshd -T: port ${ports.join(' ')}${onlyNew ? '' : ` (want ${p.port})`}`];
  let ok = onlyNew;
  if (facts.ufw.active) {
    const has = facts.ufw.rules.some((r) => isPortRule(r, p.port!));
    evidence.push(`ufw: ${has ? 'allows' : 'no rule for'} tcp ${p.port}`);
    const stale = ports.filter((x) => x !== p.port);
    ok = ok && has;
    for (const s of stale) if (facts.ufw.rules.some((r) => isPortRule(r, s))) evidence.push(`ufw: still allows tcp ${s}`);
  }
  const jp = jailPort(facts);
  if (jp !== null) {
    const want = String(p.port);
    evidence.push(`fail2ban jail port ${jp || '(unset)'}${jp === want ? '' : ` (want ${want})`}`);
    ok = ok && jp === want;
  }
  if (facts.sshSocketActive) {
    const listen = facts.sshSocket.listen.join(' ');
    evidence.push(`ssh.socket listens on ${listen || '(nothing shown)'}`);
    ok = ok && facts.sshSocket.listen.length > 0 && facts.sshSocket.listen.every((l) => l.endsWith(`:${p.port}`));
  }
  return { status: ok ? 'compliant' : 'drift', evidence };
}

export type PortStageName = 'open' | 'close';

export interface PortStage {
  /** null when this stage has nothing left to change (the host is already there). */
  apply: Omit<ApplySpec, 'runId'> | null;
  /** Paths the stage writes, for the plan shown to the user. */
  files: Array<{ path: string; before: string | null; after: string | null }>;
  commands: string[];
  refused?: { reason: string; fix: string };
}

/** A shell loop waiting (up to 10 s) until something listens on tcp `port`: sshd re-executes on reload. */
function waitListening(port: number): string {
  return `i=0; until ss -Hltn 'sport = :${port}' | grep -q .; do i=$((i+1)); [ $i -gt 50 ] && { echo 'nothing listens on ${port}' >&2; exit 1; }; sleep 0.2; done`;
}

const WAIT_FOR_JAIL = 'i=0; until fail2ban-client status sshd >/dev/null 2>&1; do i=$((i+1)); [ $i -gt 50 ] && break; sleep 0.2; done; fail2ban-client status sshd';
const RESTORE_UFW = "if grep -q '^ENABLED=yes' /etc/ufw/ufw.conf; then ufw reload; else ufw --force disable; fi";

/**
 * One stage of the move as an apply spec, from the facts of the moment.
 * open: listen on `from` plus the new port; close: on the new port only, deleting the UFW
 * rules for `from` (the ports sshd listened on before the move).
 */
export function portStage(ctx: ControlContext, p: SshdPortParams, stage: PortStageName, from: readonly number[]): PortStage {
  const to = p.port;
  if (to === undefined) return { apply: null, files: [], commands: [] };
  const { facts } = ctx;
  const refuse = (reason: string, fix: string): PortStage => ({ apply: null, files: [], commands: [], refused: { reason, fix } });
  const withPort = listenAddressWithPort(facts);
  if (withPort.length) {
    return refuse(`sshd takes its port from ListenAddress here (${withPort.join('; ')}), which Port cannot change.`, 'Remove the port from those ListenAddress lines (or the lines), then apply again.');
  }
  const me = facts.connection;
  if (!me) return refuse('The host did not tell which address Bulwark connects from ($SSH_CONNECTION is empty).', 'Check that sshd sets SSH_CONNECTION.');
  const ports = stage === 'open' ? [...new Set([...from, to])] : [to];
  const old = from.filter((x) => x !== to);

  const writes: Array<{ path: string; content: string | null }> = [];
  const commands: string[] = [];
  const validate: string[] = [];
  const onRestore: string[] = [];
  const touch: string[] = [];
  const verify: string[] = [];

  // sshd: every Port line outside Bulwark's drop-in goes (they would add ports), ours lists them all
  const mainWithInclude = withInclude(facts.sshd.mainConfig);
  const portLines = (text: string, file: string) => new Set(parseConfigLines(file, text).filter((l) => l.keyword === 'port').map((l) => l.line));
  const mainPorts = portLines(mainWithInclude, MAIN);
  const main = mainPorts.size ? commentOut(mainWithInclude, mainPorts) : mainWithInclude;
  if (main !== facts.sshd.mainConfig) writes.push({ path: MAIN, content: `${main.replace(/\n*$/, '')}\n` });
  for (const d of facts.sshd.dropins) {
    if (d.path === BULWARK_DROPIN) continue;
    const lines = portLines(d.content, d.path);
    if (lines.size) writes.push({ path: d.path, content: `${commentOut(d.content, lines).replace(/\n*$/, '')}\n` });
  }
  const ours = facts.sshd.dropins.find((d) => d.path === BULWARK_DROPIN)?.content;
  const kept = (ours ?? renderDropin(new Map())).split('\n').filter((l) => !/^\s*port\s/i.test(l)).join('\n').replace(/\n*$/, '');
  writes.push({ path: BULWARK_DROPIN, content: `${kept}\n${ports.map((x) => `Port ${x}`).join('\n')}\n` });
  validate.push('sshd -t');

  // a socket-activated sshd listens where ssh.socket says: reset its list, then ours
  if (facts.sshSocketActive) {
    writes.push({ path: SOCKET_DROPIN, content: ['# Managed by Bulwark: the ports sshd listens on.', '[Socket]', 'ListenStream=', ...ports.map((x) => `ListenStream=${x}`), ''].join('\n') });
  }

  // UFW: the new port from wherever an old one was allowed; in the close stage, the old rules go
  let rules = [...facts.ufw.rules];
  if (facts.ufw.active) {
    const hasNew = rules.some((r) => isPortRule(r, to));
    if (stage === 'open' && !hasNew) {
      const sources = rules.filter((r) => old.some((o) => isPortRule(r, o)));
      const seen = new Set<string>();
      for (const r of sources) {
        const spec = ruleSpec(r, to);
        if (seen.has(spec)) continue;
        seen.add(spec);
        commands.push(`ufw ${r.action} ${spec} comment ${shellQuote('bulwark: ssh')}`);
        rules.push({ ...r, port: String(to), tuple: '' });
      }
    }
    if (stage === 'close') {
      const gone = rules.filter((r) => old.some((o) => isPortRule(r, o)));
      const seen = new Set<string>();
      for (const r of gone) {
        const spec = ruleSpec(r, Number(r.port));
        if (seen.has(`${r.action} ${spec}`)) continue;
        seen.add(`${r.action} ${spec}`);
        commands.push(`ufw delete ${r.action} ${spec}`);
      }
      rules = rules.filter((r) => !gone.includes(r));
    }
    // the guard: Bulwark's address must reach the port it will use, through the rules as they will be
    const decider = firstMatch(rules, me.clientAddress, to);
    if (!decider || !allows(decider, me.clientAddress, to)) {
      return refuse(
        `No UFW rule would let Bulwark's address ${me.clientAddress} reach SSH on the new port ${to}${decider ? ` (the first matching rule is: ${decider.tuple || `${decider.action} from ${decider.from}`})` : ''}.`,
        `Allow tcp ${to} from a range that includes ${me.clientAddress} (or allow SSH on the current port from it, so the rule is carried over).`,
      );
    }
    if (commands.length) {
      touch.push(...UFW_FILES);
      onRestore.push(RESTORE_UFW);
    }
  }

  // fail2ban: Bulwark's jail watches exactly the ports sshd listens on
  const jail = facts.fail2ban.jailFiles.find((j) => j.path === JAIL_FILE);
  if (jail) {
    const next = jail.content.replace(/^port\s*=.*$/m, `port = ${ports.join(',')}`);
    if (next !== jail.content) {
      writes.push({ path: JAIL_FILE, content: `${next.replace(/\n*$/, '')}\n` });
      validate.push('fail2ban-client -t');
      if (facts.fail2ban.state === 'active') {
        verify.push('systemctl restart fail2ban', WAIT_FOR_JAIL);
        onRestore.push('systemctl restart fail2ban');
      }
    }
  }

  // what changed, against the facts (a file already as wanted is not written)
  const before = (path: string): string | null => {
    if (path === MAIN) return facts.sshd.mainConfig;
    if (path === SOCKET_DROPIN) return facts.sshSocket.bulwarkDropin;
    return facts.sshd.dropins.find((d) => d.path === path)?.content ?? facts.fail2ban.jailFiles.find((j) => j.path === path)?.content ?? null;
  };
  const changed = writes.filter((w) => (before(w.path) ?? '').replace(/\n+$/, '') !== (w.content ?? '').replace(/\n+$/, '') || before(w.path) === null);
  const sshdChanged = changed.some((w) => w.path !== JAIL_FILE);
  const reload = facts.sshSocketActive ? ['systemctl daemon-reload', 'systemctl restart ssh.socket'] : [`systemctl reload ${facts.sshService ?? 'ssh'}`];
  const all = [...commands, ...(sshdChanged ? reload : []), ...(sshdChanged && stage === 'open' ? [waitListening(to)] : []), ...verify];
  if (sshdChanged) onRestore.unshift(...reload);
  const files = changed.map((w) => ({ path: w.path, before: before(w.path), after: w.content }));
  if (!changed.length && !commands.length) return { apply: null, files, commands: [] };
  return {
    apply: {
      files: changed.map((w) => ({ path: w.path, content: w.content, mode: 0o644, owner: 'root', group: 'root' })),
      touch,
      validate: sshdChanged ? validate : validate.filter((v) => v !== 'sshd -t'),
      commands: all,
      onRestore,
      deadmanSeconds: 90,
    },
    files,
    commands: all,
  };
}

export const sshdPort: Control<SshdPortParams> = {
  id: SSHD_PORT_ID,
  title: 'sshd port',
  reason: 'A port other than 22 keeps most internet-wide scanners and their log noise away (it hides SSH, it does not protect it).',
  params: sshdPortParams as unknown as z.ZodType<SshdPortParams>,
  kind: 'change',
  check: checkPort,
  plan(ctx, p) {
    const plan = emptyPlan();
    if (p.port === undefined) return plan;
    if (checkPort(ctx, p).status === 'compliant') {
      // keep the port in the drop-in when another sshd control re-renders it
      plan.sshd.set('Port', String(p.port));
      return plan;
    }
    const open = portStage(ctx, p, 'open', currentPorts(ctx));
    if (open.refused) return { ...plan, refused: open.refused };
    plan.notes.push(
      `Moved in two stages, each with the automatic rollback armed: first sshd${ctx.facts.ufw.active ? ', UFW' : ''}${jailPort(ctx.facts) !== null ? ' and the fail2ban jail' : ''} take port ${p.port} beside ${currentPorts(ctx).join(', ')}; a fresh connection on ${p.port} must work before the old port is closed, and again after.`,
    );
    if (jailPort(ctx.facts) === null && ctx.facts.fail2ban.installed) plan.notes.push("fail2ban has no Bulwark jail here: a stock sshd jail keeps watching port 'ssh' (22) until the fail2ban control is applied.");
    return plan;
  },
};
