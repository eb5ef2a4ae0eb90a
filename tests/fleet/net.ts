/**
 * The fleet's network: one Linux bridge per fleet on a private /24 with no uplink (no forwarding,
 * no NAT, no default route handed out), and an "attacker" network namespace plugged into it.
 *
 * Every kernel object a fleet creates is named after the fleet's 4-hex-digit id so that leftovers
 * of a crashed run can be found and removed: bridge bwf-ID-br, attacker veth bwf-ID-at, namespace
 * bwf-ID-atk, hosts' machine names bwf-ID-NNN (systemd-nspawn names their veth vb-bwf-ID-NNN).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { run, runOk, runSyncQuiet } from './exec';

export const SUBNET_PREFIX = '10.213';
export const NAME_PREFIX = 'bwf-';

export function fleetId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 4);
}

export interface FleetNames {
  bridge: string;
  attackerLink: string;
  netns: string;
  machinePrefix: string;
}

export function namesFor(id: string): FleetNames {
  return { bridge: `bwf-${id}-br`, attackerLink: `bwf-${id}-at`, netns: `bwf-${id}-atk`, machinePrefix: `bwf-${id}-` };
}

export function machineName(id: string, index: number): string {
  return `bwf-${id}-${String(index).padStart(3, '0')}`;
}

/** systemd-nspawn's host-side veth for --network-bridge: "vb-" + machine name (15 chars here). */
export function vethName(machine: string): string {
  return `vb-${machine}`;
}

export function hostAddress(octet: number, index: number): string {
  return `${SUBNET_PREFIX}.${octet}.${10 + index}`;
}

export function attackerAddress(octet: number): string {
  return `${SUBNET_PREFIX}.${octet}.250`;
}

export function bridgeAddress(octet: number): string {
  return `${SUBNET_PREFIX}.${octet}.1`;
}

export const MAX_HOSTS = 200;

/** Interface names on this machine (without the @peer suffix). */
export async function linkNames(): Promise<string[]> {
  const out = await runOk('ip', ['-o', 'link', 'show']);
  return out
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
}

export async function netnsNames(): Promise<string[]> {
  const out = await runOk('ip', ['netns', 'list']);
  return out
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n): n is string => Boolean(n));
}

function toInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** IPv4 prefixes of this machine's routes and addresses, default route excluded. */
async function usedPrefixes(): Promise<{ net: number; len: number }[]> {
  const routes = await runOk('ip', ['-o', '-4', 'route', 'show', 'table', 'all']);
  const addrs = await runOk('ip', ['-o', '-4', 'addr', 'show']);
  const found: { net: number; len: number }[] = [];
  for (const line of routes.split('\n')) {
    const first = line.trim().split(/\s+/);
    const dest = first[0] === 'local' || first[0] === 'broadcast' || first[0] === 'unicast' ? first[1] : first[0];
    const m = dest ? /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(dest) : null;
    if (m?.[1]) found.push({ net: toInt(m[1]), len: Number(m[2] ?? 32) });
  }
  for (const m of addrs.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\/(\d+)/g)) {
    if (m[1]) found.push({ net: toInt(m[1]), len: Number(m[2]) });
  }
  return found;
}

function overlaps(a: { net: number; len: number }, b: { net: number; len: number }): boolean {
  const len = Math.min(a.len, b.len);
  if (len === 0) return true;
  const mask = len === 32 ? 0xffffffff : ~((1 << (32 - len)) - 1) >>> 0;
  return ((a.net & mask) >>> 0) === ((b.net & mask) >>> 0);
}

/** First 10.213.N.0/24 that no route or address on this machine and no other fleet uses. */
export async function allocateOctet(takenByFleets: ReadonlySet<number>): Promise<number> {
  const used = await usedPrefixes();
  for (let octet = 1; octet <= 254; octet++) {
    if (takenByFleets.has(octet)) continue;
    const cand = { net: toInt(`${SUBNET_PREFIX}.${octet}.0`), len: 24 };
    if (!used.some((u) => overlaps(u, cand))) return octet;
  }
  throw new Error(`no free /24 left in ${SUBNET_PREFIX}.0.0/16`);
}

function writeSysctl(key: string, value: string): void {
  fs.writeFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, value);
}

/** The bridge: private /24, no IPv6, and IPv4 forwarding off for anything arriving on it. */
export async function createBridge(names: FleetNames, octet: number): Promise<void> {
  await runOk('ip', ['link', 'add', names.bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
  // Per-interface forwarding is checked for packets received on the interface: even with the
  // machine's ip_forward=1, nothing from the fleet would be routed onwards.
  writeSysctl(`net.ipv4.conf.${names.bridge}.forwarding`, '0');
  writeSysctl(`net.ipv6.conf.${names.bridge}.disable_ipv6`, '1');
  await runOk('ip', ['addr', 'add', `${bridgeAddress(octet)}/24`, 'dev', names.bridge]);
  await runOk('ip', ['link', 'set', names.bridge, 'up']);
}

/** The attacker: a network namespace with one veth on the bridge at .250, no default route. */
export async function createAttacker(names: FleetNames, octet: number): Promise<void> {
  await runOk('ip', ['netns', 'add', names.netns]);
  await runOk('ip', ['link', 'add', names.attackerLink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', names.netns]);
  writeSysctl(`net.ipv6.conf.${names.attackerLink}.disable_ipv6`, '1');
  await runOk('ip', ['link', 'set', names.attackerLink, 'master', names.bridge, 'up']);
  await runOk('ip', ['-n', names.netns, 'link', 'set', 'lo', 'up']);
  await runOk('ip', ['-n', names.netns, 'addr', 'add', `${attackerAddress(octet)}/24`, 'dev', 'eth0']);
  await runOk('ip', ['-n', names.netns, 'link', 'set', 'eth0', 'up']);
}

export async function netnsPids(netns: string): Promise<number[]> {
  const r = await run('ip', ['netns', 'pids', netns]);
  return r.code === 0 ? r.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

/** Removes the fleet's links and namespace, whichever exist. */
export async function removeNetwork(id: string): Promise<void> {
  const names = namesFor(id);
  for (const link of await linkNames()) {
    if (link.startsWith(`bwf-${id}-`) || link.startsWith(`vb-bwf-${id}-`)) await run('ip', ['link', 'del', link]);
  }
  if ((await netnsNames()).includes(names.netns)) await runOk('ip', ['netns', 'del', names.netns]);
}

/** Same, synchronously, for exit handlers. */
export function removeNetworkSync(id: string): void {
  const names = namesFor(id);
  runSyncQuiet('ip', ['link', 'del', names.attackerLink]);
  runSyncQuiet('ip', ['link', 'del', names.bridge]);
  runSyncQuiet('ip', ['netns', 'del', names.netns]);
}

/** Raises inotify limits (each booted systemd uses several instances; 128 is the default). */
export function raiseInotifyLimits(hosts: number): void {
  const want = Math.max(1024, hosts * 64);
  const key = '/proc/sys/fs/inotify/max_user_instances';
  if (Number(fs.readFileSync(key, 'utf8')) < want) fs.writeFileSync(key, String(want));
}
