/**
 * The datacenter firewall step of the hardening guide, planned against what the cluster has:
 * firewall on, policy_in DROP, policy_out ACCEPT, SSH (the real port) allowed from the listed
 * addresses, the internal network allowed, the web UI addresses in the `management` IPSet.
 *
 * Bulwark's own rules carry a `bulwark:` comment; rules without it are the user's and are never
 * changed. The plan evaluates the resulting configuration for every guarded address (Bulwark's
 * own, as the node sees it, and the web UI addresses) on 8006 and the SSH port, and refuses when
 * any would be cut off. The evaluation is deliberately conservative: rules are read in order
 * before the management IPSet, and a rule naming something Bulwark cannot resolve (an alias, an
 * IPSet other than management) counts as matching when it drops and as not matching when it accepts.
 */
import { cidrContains, cidrProblem } from '../../../shared/domain/validators';
import type { DatacenterFirewallParams, FirewallPlan, FwRule, GuardCheck } from '../../../shared/domain/proxmox-firewall';
import { BulwarkError } from '../../../shared/errors';

export type { DatacenterFirewallParams, FirewallPlan, FwRule, GuardCheck };

export const BULWARK_COMMENT = 'bulwark:';
/** Ports the management IPSet opens on a node (pve-firewall): web UI, SSH, consoles, SPICE proxy. */
const MANAGEMENT_TCP_PORTS = [8006, 22, 3128];
const MANAGEMENT_TCP_RANGES: [number, number][] = [[5900, 5999]];
const MACRO_PORTS: Record<string, { proto: string; ports: number[] }> = { SSH: { proto: 'tcp', ports: [22] } };

export interface FwState {
  enable: boolean;
  policyIn: string;
  policyOut: string;
  rules: FwRule[];
  /** Entries of the `management` IPSet (null: the IPSet does not exist yet). */
  management: string[] | null;
}

export function checkParams(p: DatacenterFirewallParams): void {
  const fields: Record<string, string> = {};
  if (!Number.isInteger(p.sshPort) || p.sshPort < 1 || p.sshPort > 65535) fields.sshPort = 'must be a port from 1 to 65535';
  const bad = (list: string[]) => list.map((c) => cidrProblem(c)).find((x) => x !== null);
  if (!p.sshFrom.length) fields.sshFrom = 'list at least one address or network allowed to SSH';
  else if (bad(p.sshFrom)) fields.sshFrom = bad(p.sshFrom)!;
  if (p.internalCidr !== null && cidrProblem(p.internalCidr)) fields.internalCidr = cidrProblem(p.internalCidr)!;
  if (bad(p.webUiFrom)) fields.webUiFrom = bad(p.webUiFrom)!;
  if (Object.keys(fields).length) throw new BulwarkError('VALIDATION', `Datacenter firewall settings: ${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join('; ')}`, fields);
}

export function desiredRules(p: DatacenterFirewallParams): FwRule[] {
  const rules: FwRule[] = p.sshFrom.map((cidr) => ({ type: 'in', action: 'ACCEPT', enable: true, proto: 'tcp', dport: String(p.sshPort), source: cidr, comment: `${BULWARK_COMMENT} SSH from ${cidr}` }));
  if (p.internalCidr) rules.push({ type: 'in', action: 'ACCEPT', enable: true, source: p.internalCidr, comment: `${BULWARK_COMMENT} internal network` });
  return rules;
}

const key = (r: FwRule) => [r.type, r.action, r.enable ? 1 : 0, r.macro ?? '', r.proto ?? '', r.dport ?? '', r.source ?? '', r.dest ?? '', r.iface ?? ''].join('|');
export const isMine = (r: FwRule) => (r.comment ?? '').startsWith(BULWARK_COMMENT);

/**
 * The plan for `state` (as read) towards the guide's configuration. `self` is Bulwark's address
 * as the node sees it; `localNetwork` the node's own subnet (the management IPSet includes it).
 */
export function planFirewall(state: FwState, p: DatacenterFirewallParams, o: { self: string; localNetwork: string | null }): FirewallPlan {
  checkParams(p);
  const options: FirewallPlan['options'] = [];
  if (!state.enable) options.push({ key: 'enable', from: '0', to: '1' });
  if (state.policyIn !== 'DROP') options.push({ key: 'policy_in', from: state.policyIn, to: 'DROP' });
  if (state.policyOut !== 'ACCEPT') options.push({ key: 'policy_out', from: state.policyOut, to: 'ACCEPT' });

  const wanted = desiredRules(p);
  const wantedKeys = new Set(wanted.map(key));
  const haveKeys = new Set(state.rules.filter(isMine).map(key));
  const rules: FirewallPlan['rules'] = [
    ...wanted.filter((r) => !haveKeys.has(key(r))).map((rule) => ({ op: 'add' as const, rule, mine: true })),
    ...state.rules.map((rule) => ({ op: isMine(rule) && !wantedKeys.has(key(rule)) ? ('remove' as const) : ('keep' as const), rule, mine: isMine(rule) })),
  ];
  const have = state.management ?? [];
  const management: FirewallPlan['management'] = [
    ...have.map((cidr) => ({ op: 'keep' as const, cidr })),
    ...[...new Set(p.webUiFrom)].filter((c) => !have.includes(c)).map((cidr) => ({ op: 'add' as const, cidr })),
  ];

  // the configuration as it will be: new rules go on top (Proxmox inserts at position 0)
  const after: FwState = {
    enable: true,
    policyIn: 'DROP',
    policyOut: 'ACCEPT',
    rules: rules.filter((r) => r.op !== 'remove').map((r) => r.rule),
    management: management.map((m) => m.cidr),
  };
  const guarded = [{ address: o.self, who: 'Bulwark' }, ...[...new Set(p.webUiFrom)].filter((c) => !c.includes('/') && c !== o.self).map((address) => ({ address, who: 'web UI' }))];
  const guard = guarded.flatMap(({ address, who }) => [8006, p.sshPort].map((port) => ({ address, who, port, ...inbound(after, address, port, o.localNetwork) })));
  const cut = guard.filter((g) => !g.allowed);
  const refused = cut.length
    ? `Refused: after this change ${cut.map((g) => `${g.address} (${g.who}) could not reach port ${g.port} (${g.by})`).join('; ')}. Add those addresses to the web UI addresses (management IPSet) or to the SSH sources.`
    : null;
  return { options, rules, management, guard, refused, compliant: options.length === 0 && rules.every((r) => r.op === 'keep') && management.every((m) => m.op === 'keep') };
}

function portMatches(dport: string | undefined, port: number): boolean {
  if (!dport) return true;
  return dport.split(',').some((part) => {
    const [a, b] = part.trim().split(':').map(Number);
    return b === undefined ? a === port : a! <= port && port <= b;
  });
}

/** A source list matches the address; `unknown` decides for entries Bulwark cannot resolve. */
function sourceMatches(source: string | undefined, address: string, unknown: boolean, management: string[]): boolean {
  if (!source) return true;
  return source.split(',').some((s) => {
    const t = s.trim();
    if (t === '+management' || t === '+dc/management') return management.some((c) => cidrContains(c, address));
    if (cidrProblem(t) === null) return cidrContains(t, address);
    return unknown;
  });
}

/** Whether `address` gets to TCP `port` on a node under `state`, and what decides it. */
export function inbound(state: FwState, address: string, port: number, localNetwork: string | null): { allowed: boolean; by: string } {
  if (!state.enable) return { allowed: true, by: 'the firewall is off' };
  const management = [...(state.management ?? []), ...(localNetwork && cidrContains(localNetwork, address) ? [localNetwork] : [])];
  for (const r of state.rules) {
    if (!r.enable || r.type !== 'in') continue;
    const drops = r.action === 'DROP' || r.action === 'REJECT';
    if (!drops && r.action !== 'ACCEPT') continue;
    const macro = r.macro ? MACRO_PORTS[r.macro] : undefined;
    if (r.macro && !macro && !drops) continue;
    const proto = macro?.proto ?? r.proto;
    if (proto && proto !== 'tcp') continue;
    const portOk = macro ? macro.ports.includes(port) && portMatches(r.dport, port) : portMatches(r.dport, port);
    if (!portOk || !sourceMatches(r.source, address, drops, management)) continue;
    return { allowed: !drops, by: `rule "${r.comment ?? `${r.action} ${r.source ?? 'any'}${r.dport ? ` port ${r.dport}` : ''}`}"` };
  }
  const managed = MANAGEMENT_TCP_PORTS.includes(port) || MANAGEMENT_TCP_RANGES.some(([a, b]) => a <= port && port <= b);
  if (managed && management.some((c) => cidrContains(c, address))) {
    return { allowed: true, by: localNetwork && cidrContains(localNetwork, address) && !(state.management ?? []).some((c) => cidrContains(c, address)) ? "the management IPSet (the node's local network)" : 'the management IPSet' };
  }
  return { allowed: state.policyIn === 'ACCEPT', by: `policy_in ${state.policyIn}` };
}
