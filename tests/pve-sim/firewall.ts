// Datacenter firewall semantics of pve-firewall, as pure functions over SimState.
import { addressInCidr, normaliseAddress, portInSpec } from './ip-match';
import type { FirewallRule, Ipset, SimState } from './types';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * cluster.fw [OPTIONS] as pve-firewall reads them (parse_clusterfw_option): an `enable` value > 1
 * is the epoch time of an unconfirmed "enable" (the anti-lockout safety net); once it is older
 * than the window (60 s in PVE) it reads as 0, i.e. the firewall switches itself off again.
 */
export function readOptions(state: SimState, now = nowSeconds()): Record<string, string | number> {
  const options = { ...state.firewall.options };
  const enable = Number(options.enable ?? 0);
  if (enable > 1 && now - enable > state.safetyNetSeconds) options.enable = 0;
  return options;
}

export function firewallEnabled(state: SimState, now = nowSeconds()): boolean {
  return Number(readOptions(state, now).enable ?? 0) >= 1;
}

export function findIpset(state: SimState, name: string): Ipset | undefined {
  return state.firewall.ipsets.find((s) => s.name === name);
}

/** Entries a packet is tested against; pve-firewall adds the local network to `management` when it compiles the ruleset. */
function ipsetContains(state: SimState, name: string, address: string): boolean {
  if (name === 'management' && addressInCidr(address, state.localNetwork)) return true;
  const entries = findIpset(state, name)?.entries ?? [];
  if (entries.some((e) => e.nomatch && addressInCidr(address, e.cidr))) return false;
  return entries.some((e) => !e.nomatch && addressInCidr(address, e.cidr));
}

/** source/dest: any of "a.b.c.d", "a.b.c.d/nn", "+ipset", "+dc/ipset", comma-separated. */
function addressMatches(state: SimState, spec: string | undefined, address: string): boolean {
  if (!spec) return true;
  return spec.split(',').some((item) => {
    const ref = item.trim();
    if (ref.startsWith('+')) return ipsetContains(state, ref.replace(/^\+(dc\/)?/, ''), address);
    return addressInCidr(address, ref);
  });
}

/** Standard PVE macros that open a single TCP port, so a macro rule can be matched by port. */
const TCP_PORT_MACROS: Record<string, number> = { SSH: 22, HTTP: 80, HTTPS: 443, Telnet: 23 };

function ruleMatchesTcp(rule: FirewallRule, port: number): boolean {
  if (rule.macro) return TCP_PORT_MACROS[rule.macro] === port;
  if (rule.proto && rule.proto !== 'tcp') return false;
  return rule.dport ? portInSpec(port, rule.dport) : true;
}

/** Ports pve-firewall opens to the `management` ipset on the host (API, VNC, SPICE, SSH, migration). */
const MANAGEMENT_PORTS = '8006,5900:5999,3128,22,60000:60050';

/**
 * Would pve-firewall let a new TCP connection from srcIp reach `port` on the API node?
 * Order as in the generated PVEFW-HOST-IN chain: the datacenter `in` rules first (first match
 * decides), then the management ipset for the management ports, then policy_in.
 * Security-group rules (type=group) are not simulated and never match.
 */
export function inboundAllowed(state: SimState, srcIp: string, port: number, now = nowSeconds()): boolean {
  if (!firewallEnabled(state, now)) return true;
  const address = normaliseAddress(srcIp);
  const localIp = state.nodes[0]?.ip ?? '127.0.0.1';
  for (const rule of state.firewall.rules) {
    if (rule.type !== 'in' || Number(rule.enable ?? 0) !== 1) continue;
    if (!ruleMatchesTcp(rule, port) || !addressMatches(state, rule.source, address)) continue;
    if (rule.dest && !addressMatches(state, rule.dest, localIp) && !addressMatches(state, rule.dest, '127.0.0.1')) continue;
    return rule.action === 'ACCEPT';
  }
  if (portInSpec(port, MANAGEMENT_PORTS) && ipsetContains(state, 'management', address)) return true;
  return String(readOptions(state, now).policy_in ?? 'DROP') === 'ACCEPT';
}
