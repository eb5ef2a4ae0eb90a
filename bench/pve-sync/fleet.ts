/**
 * The simulated cluster the pve-sync bench reads: N guests over three online nodes, a mix that
 * makes each contender use every way it has to find an address:
 *
 * - 50 % QEMU with a running guest agent and no static address (DHCP): only the agent knows it;
 * - 20 % QEMU without an agent, a static cloud-init `ipconfig0`: only the config knows it;
 * - 30 % LXC with a static `ip=` on `net0` (what the container reports at runtime too);
 * - every 20th guest is special: a stopped container (i % 20 = 19) and a VM whose agent is
 *   configured but not running (i % 20 = 14), so neither can be asked at runtime.
 *
 * Addresses come from 10.77.0.0/16, one per guest. Some guests have tags, snapshots, pools.
 */
import type { PveSimOptions, SimGuest, SimPool, SimToken } from '../../tests/pve-sim';

/** One token for both contenders: read-only privileges, including what Ansible's pool groups need. */
export const BENCH_TOKEN: SimToken = {
  id: 'root@pam!bench',
  secret: '7d0c5e1a-4b9f-4f5e-8a1d-2c3b4a5f6e70',
  privileges: { '/': ['Sys.Audit', 'VM.Audit', 'VM.Monitor', 'VM.GuestAgent.Audit', 'Pool.Audit'] },
};

const NODES = ['pve1', 'pve2', 'pve3'];

export const addressOf = (i: number): string => `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const mac = (i: number): string => `BC:24:11:${[(i >> 16) & 255, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;

function guest(i: number): SimGuest {
  const vmid = 100 + i;
  const base = {
    vmid,
    node: NODES[i % NODES.length]!,
    status: 'running' as const,
    ...(i % 5 === 0 ? { tags: ['bench', i % 2 ? 'odd' : 'even'] } : {}),
    ...(i % 10 === 3 ? { snapshots: [{ name: 'pre-upgrade', snaptime: 1_790_000_000 + i, description: 'before apt full-upgrade' }] } : {}),
  };
  const kind = i % 10;
  if (kind >= 7) {
    return { ...base, type: 'lxc', name: `ct-${vmid}`, ostype: 'debian', status: i % 20 === 19 ? 'stopped' : 'running',
      interfaces: [{ name: 'eth0', mac: mac(i), ipv4: [`${addressOf(i)}/16`] }] };
  }
  if (kind >= 5) {
    return { ...base, type: 'qemu', name: `vm-${vmid}`, agent: 'disabled', ipconfig: [`ip=${addressOf(i)}/16,gw=10.77.255.254`],
      interfaces: [{ name: 'eth0', mac: mac(i) }] };
  }
  return { ...base, type: 'qemu', name: `vm-${vmid}`, agent: i % 20 === 14 ? 'not-running' : 'running',
    interfaces: [{ name: 'ens18', mac: mac(i), ipv4: [`${addressOf(i)}/16`], ipv6: [`fe80::be24:11ff:fe${(i & 255).toString(16).padStart(2, '0')}:1/64`] }] };
}

export interface BenchFleetOptions {
  guests: number;
  latencyMs: number;
  guestAgentLatencyMs: number;
}

export function benchFleet(o: BenchFleetOptions): PveSimOptions {
  const guests = Array.from({ length: o.guests }, (_, i) => guest(i));
  const pools: SimPool[] = [
    { poolid: 'prod', comment: 'production', vmids: guests.filter((g) => g.vmid % 4 === 0).map((g) => g.vmid) },
    { poolid: 'lab', vmids: guests.filter((g) => g.vmid % 7 === 0).map((g) => g.vmid) },
  ];
  return {
    version: 9,
    clusterName: 'bench',
    nodes: NODES.map((name, i) => ({ name, ip: `192.168.1.${11 + i}` })),
    guests,
    pools,
    tokens: [BENCH_TOKEN],
    authFailDelayMs: 50,
    latencyMs: o.latencyMs,
    guestAgentLatencyMs: o.guestAgentLatencyMs,
  };
}

/** What every contender must report: per vmid, the IPv4 addresses a user could reach it at. */
export type GuestAddresses = Map<number, string[]>;

/** The expected answer, from the fleet itself: what the running guest or its static config says. */
export function expectedAddresses(o: PveSimOptions): GuestAddresses {
  const out: GuestAddresses = new Map();
  for (const g of o.guests ?? []) {
    const fromConfig = (g.ipconfig ?? []).flatMap((line) => /(?:^|,)ip=([\d.]+)/.exec(line)?.[1] ?? []);
    const fromGuest = (g.interfaces ?? []).flatMap((n) => n.ipv4 ?? []).map((a) => a.split('/')[0]!);
    // a VM whose agent is configured but not running, or that is stopped, cannot tell its DHCP address
    const silent = g.type === 'qemu' && g.agent !== 'disabled' && (g.agent !== 'running' || g.status !== 'running');
    out.set(g.vmid, silent ? [] : [...fromGuest, ...fromConfig].sort());
  }
  return out;
}
