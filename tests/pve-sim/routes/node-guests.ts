// GET /nodes/{node}/qemu and /nodes/{node}/lxc: the per-node guest indexes (qemu-server's
// `vmlist` over PVE::QemuServer::vmstatus, pve-container's `vmlist` over PVE::LXC::vmstatus).
import { reachableNode } from '../nodes';
import { hasPrivilege } from '../privileges';
import type { Route, RouteContext } from '../router';
import type { SimGuest, SimState } from '../types';

const MIB = 2 ** 20;

/** Fields both vmstatus functions fill; a stopped guest has zero usage and no pid. */
function usage(guest: SimGuest) {
  const running = guest.status === 'running';
  return {
    status: guest.status,
    name: guest.name,
    ...(guest.tags?.length ? { tags: guest.tags.join(';') } : {}),
    cpu: running ? guest.cpu ?? 0.01 : 0,
    mem: running ? guest.mem ?? 512 * MIB : 0,
    uptime: running ? guest.uptime ?? 3600 : 0,
    disk: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0,
    // a made-up pid: real ones come from the qemu pid file / lxc-info
    ...(running ? { pid: 10_000 + guest.vmid } : {}),
  };
}

function qemuEntry(state: SimState, guest: SimGuest): Record<string, unknown> {
  const u = usage(guest);
  return {
    vmid: guest.vmid, ...u, cpus: guest.maxcpu ?? 2, maxmem: guest.maxmem ?? 2 * 2 ** 30, maxdisk: 32 * 2 ** 30,
    // qemu-server b14ae0d9 (Jul 2025, PVE 9): memhost, the PSS of the VM's cgroup
    ...(state.version === 9 ? { memhost: u.mem } : {}),
  };
}

/**
 * pve-container before 5.0.10 (commit 81aa4bd, Apr 2024, PVE 8.2) returned `vmid` as a string in
 * this index; the simulator's version 8 keeps that, as it does in /cluster/resources.
 */
function lxcEntry(state: SimState, guest: SimGuest): Record<string, unknown> {
  return {
    vmid: state.version === 8 ? String(guest.vmid) : guest.vmid, type: 'lxc', ...usage(guest),
    cpus: guest.maxcpu ?? 1, maxmem: guest.maxmem ?? 2 ** 30, maxdisk: 8 * 2 ** 30, swap: 0, maxswap: 512 * MIB,
  };
}

/** Lists silently only what the caller may audit (`user => 'all'`); proxied, so an offline node is a 595. */
function nodeIndex(type: SimGuest['type']) {
  return ({ state, caller, path }: RouteContext): unknown[] => {
    const node = reachableNode(state, path.node ?? '');
    return state.guests
      .filter((g) => g.type === type && g.node === node.name && hasPrivilege(caller.privileges, `/vms/${g.vmid}`, 'VM.Audit'))
      .map((g) => (type === 'qemu' ? qemuEntry(state, g) : lxcEntry(state, g)));
  };
}

export const nodeGuestRoutes: Route[] = [
  { method: 'GET', path: '/nodes/{node}/qemu', handler: nodeIndex('qemu') },
  { method: 'GET', path: '/nodes/{node}/lxc', handler: nodeIndex('lxc') },
];
