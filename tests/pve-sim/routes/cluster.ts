// /version, /cluster/status, /nodes, /cluster/resources, /access/permissions.
import { parameterError } from '../errors';
import { isOnline } from '../nodes';
import { effectivePermissions, hasPrivilege, requirePrivilege } from '../privileges';
import type { Route, RouteContext } from '../router';
import type { SimGuest, SimNode, SimState } from '../types';

/**
 * Version 8 stands for PVE 8.0-8.3 (before libpve-http-server-perl 5.2.0 added "message" to
 * error bodies); version 9 for 9.1.5 and later (unified "Authentication failed!").
 */
const VERSIONS = {
  8: { version: '8.3.5', release: '8.3', repoid: 'dac3aa88bac3f300' },
  9: { version: '9.1.5', release: '9.1', repoid: '80cf92a64bef6889' },
} as const;

function clusterStatus({ state, caller }: RouteContext): unknown[] {
  requirePrivilege(caller.privileges, '/', 'Sys.Audit');
  const nodeEntries = state.nodes.map((node, index) => ({
    type: 'node',
    id: `node/${node.name}`,
    name: node.name,
    ip: node.ip,
    nodeid: state.clusterName === null ? 0 : index + 1,
    online: node.online === false ? 0 : 1,
    local: index === 0 ? 1 : 0,
    level: '',
  }));
  if (state.clusterName === null) return nodeEntries.slice(0, 1);
  const online = state.nodes.filter((n) => n.online !== false).length;
  return [
    { type: 'cluster', id: 'cluster', name: state.clusterName, nodes: state.nodes.length,
      quorate: online * 2 > state.nodes.length ? 1 : 0, version: state.nodes.length + 1 },
    ...nodeEntries,
  ];
}

function nodeStats(node: SimNode) {
  return {
    cpu: node.cpu ?? 0.02, maxcpu: node.maxcpu ?? 8,
    mem: node.mem ?? 4 * 2 ** 30, maxmem: node.maxmem ?? 32 * 2 ** 30,
    uptime: node.uptime ?? 86_400, disk: 5 * 2 ** 30, maxdisk: 100 * 2 ** 30,
  };
}

/** GET /nodes lists every node; figures only where the caller has Sys.Audit on /nodes/{node}. */
function listNodes({ state, caller, fingerprint }: RouteContext): unknown[] {
  return state.nodes.map((node, index) => {
    const entry = { node: node.name, id: `node/${node.name}`, type: 'node', level: '',
      status: node.online === false ? 'offline' : 'online',
      ...(index === 0 ? { ssl_fingerprint: fingerprint() } : {}) };
    if (node.online === false || !hasPrivilege(caller.privileges, `/nodes/${node.name}`, 'Sys.Audit')) return entry;
    return { ...entry, ...nodeStats(node) };
  });
}

/** One guest as PVE::API2Tools::extract_vm_stats reports it; pool members have the same shape. */
export function guestResource(state: SimState, guest: SimGuest): Record<string, unknown> {
  // PVE 8 quirk kept on purpose: vmid as a string in lxc entries (older LXC listings did this).
  const vmid = guest.type === 'lxc' && state.version === 8 ? String(guest.vmid) : guest.vmid;
  const base = { id: `${guest.type}/${guest.vmid}`, type: guest.type, vmid, node: guest.node };
  // Guests on an unreachable node: pmxcfs still knows they exist, but no status data arrives.
  if (!isOnline(state, guest.node)) return { ...base, status: 'unknown' };
  const running = guest.status === 'running';
  const mem = running ? guest.mem ?? 512 * 2 ** 20 : 0;
  return {
    ...base,
    name: guest.name,
    status: guest.status,
    template: 0,
    ...(guest.tags?.length ? { tags: guest.tags.join(';') } : {}),
    cpu: running ? guest.cpu ?? 0.01 : 0,
    maxcpu: guest.maxcpu ?? 2,
    mem,
    maxmem: guest.maxmem ?? 2 * 2 ** 30,
    // PVE 9's guest RRD format (pve-vm-9.0) adds the memory used as seen by the host.
    ...(state.version === 9 ? { memhost: mem } : {}),
    uptime: running ? guest.uptime ?? 3600 : 0,
    disk: 0, maxdisk: 32 * 2 ** 30, netin: 0, netout: 0, diskread: 0, diskwrite: 0,
  };
}

/** PVE::API2Tools::extract_node_stats: every node is listed, figures only with Sys.Audit. */
function nodeResource(node: SimNode, canAudit: boolean): Record<string, unknown> {
  const base = { id: `node/${node.name}`, type: 'node', node: node.name, level: '' };
  if (node.online === false) return { ...base, status: 'offline' };
  return { ...base, status: 'online', ...(canAudit ? nodeStats(node) : {}) };
}

/** Filters silently: guests the caller may not audit are left out, never a 403. */
function clusterResources({ state, caller, params }: RouteContext): unknown[] {
  const type = params.type;
  if (type !== undefined && !['vm', 'node', 'storage', 'sdn'].includes(type)) {
    throw parameterError({ type: `value '${type}' does not have a value in the enumeration 'vm, storage, node, sdn'` });
  }
  const out: unknown[] = [];
  if (type === undefined || type === 'vm') {
    for (const guest of state.guests) {
      if (hasPrivilege(caller.privileges, `/vms/${guest.vmid}`, 'VM.Audit')) out.push(guestResource(state, guest));
    }
  }
  if (type === undefined || type === 'node') {
    for (const node of state.nodes) out.push(nodeResource(node, hasPrivilege(caller.privileges, `/nodes/${node.name}`, 'Sys.Audit')));
  }
  return out;
}


export const clusterRoutes: Route[] = [
  { method: 'GET', path: '/version', handler: ({ state }) => VERSIONS[state.version] },
  { method: 'GET', path: '/cluster/status', handler: clusterStatus },
  { method: 'GET', path: '/nodes', handler: listNodes },
  { method: 'GET', path: '/cluster/resources', handler: clusterResources },
  { method: 'GET', path: '/access/permissions', handler: ({ caller }) => effectivePermissions(caller.privileges) },
];
