/**
 * One read of a Proxmox endpoint: its nodes, its guests with their configuration (OS type,
 * static addresses), and each running guest's addresses (QEMU guest agent, or the container's
 * interfaces). A guest whose addresses cannot be read (agent not running, no privilege, node
 * unreachable) is still listed, with the reason, and with its configured static addresses
 * when it has some.
 */
import type { GuestSnapshot, PveNodeStatus } from '../../../shared/domain/proxmox';
import { isBulwarkError } from '../../../shared/errors';
import type { PveClient } from './client';
import { pvePath } from './client';
import { type ClusterResource, type GuestAddress, agentAddresses, agentInterfacesSchema, clusterResourcesSchema, clusterStatusSchema, configuredAddresses, guestConfigSchema, lxcAddresses, lxcInterfacesSchema } from './schemas';

export interface ClusterRead {
  /** null for a standalone node. */
  clusterName: string | null;
  nodes: PveNodeStatus[];
  guests: GuestSnapshot[];
  /** Nodes whose guests could not be read (offline, 595): their guests are not "gone". */
  unreachableNodes: string[];
}

/** Guests read at once: each is a config read and a guest-agent round trip on the node. */
const GUEST_READS = 4;

const n = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export async function readCluster(client: PveClient, onProgress?: (done: number, total: number) => void): Promise<ClusterRead> {
  const [status, resources] = await Promise.all([client.get('/cluster/status', clusterStatusSchema), client.get('/cluster/resources', clusterResourcesSchema)]);
  const clusterName = status.find((s) => s.type === 'cluster')?.name ?? null;
  const ipOf = new Map(status.filter((s) => s.type === 'node').map((s) => [s.name, s.ip ?? null]));
  const nodes: PveNodeStatus[] = resources
    .filter((r) => r.type === 'node' && r.node)
    .map((r) => ({ name: r.node!, online: r.status === 'online', ip: ipOf.get(r.node!) ?? null, cpu: n(r.cpu), maxcpu: n(r.maxcpu), mem: n(r.mem), maxmem: n(r.maxmem), uptime: n(r.uptime) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const unreachable = new Set(nodes.filter((x) => !x.online).map((x) => x.name));
  const vms = resources.filter((r): r is ClusterResource & { vmid: number; node: string } => (r.type === 'qemu' || r.type === 'lxc') && r.vmid !== undefined && !!r.node);

  const guests: GuestSnapshot[] = new Array(vms.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < vms.length; i = next++) {
      const r = vms[i]!;
      const config = await configOf(client, r, unreachable);
      const read = await addressesOf(client, r, unreachable, config.agent);
      if (read.unreachable || config.unreachable) unreachable.add(r.node);
      const fromConfig = read.note !== null && read.addresses.length === 0 && config.addresses.length > 0;
      guests[i] = {
        vmid: r.vmid,
        node: r.node,
        type: r.type as 'qemu' | 'lxc',
        name: r.name ?? `${r.type === 'lxc' ? 'CT' : 'VM'} ${r.vmid}`,
        status: r.status ?? 'unknown',
        template: r.template ?? false,
        tags: r.tags,
        cpu: n(r.cpu),
        maxcpu: n(r.maxcpu),
        mem: n(r.mem),
        maxmem: n(r.maxmem),
        uptime: n(r.uptime),
        addresses: fromConfig ? config.addresses : read.addresses,
        addressNote: read.note,
        addressSource: read.note === null ? 'guest' : fromConfig ? 'config' : null,
        configuredAddresses: config.addresses,
        ostype: config.ostype,
      };
      onProgress?.(++done, vms.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(GUEST_READS, vms.length) }, worker));
  return { clusterName, nodes, guests: guests.sort((a, b) => a.vmid - b.vmid), unreachableNodes: [...unreachable].sort() };
}

/** OS type and static addresses from the guest's configuration; nothing when it cannot be read. */
interface GuestConfig {
  ostype: string | null;
  addresses: GuestAddress[];
  /** Whether a VM's options turn the guest agent on; null when not known (container, config unread). */
  agent: boolean | null;
  unreachable?: boolean;
}

/** `agent: 1`, `agent: enabled=1,fstrim_cloned_disks=1`, `agent: 0,type=isa`; absent is off. */
function agentEnabled(value: string | undefined): boolean {
  const first = (value ?? '0').split(',')[0]!;
  return (first.startsWith('enabled=') ? first.slice('enabled='.length) : first) === '1';
}

async function configOf(client: PveClient, r: ClusterResource & { vmid: number; node: string }, unreachable: Set<string>): Promise<GuestConfig> {
  const none = { ostype: null, addresses: [], agent: null };
  if (unreachable.has(r.node) || r.status === 'unknown') return none;
  try {
    const config = await client.get(pvePath('nodes', r.node, r.type!, r.vmid, 'config'), guestConfigSchema);
    return { ostype: config.ostype ?? null, addresses: configuredAddresses(r.type as 'qemu' | 'lxc', config), agent: r.type === 'qemu' ? agentEnabled(config.agent) : null };
  } catch (e) {
    if (!isBulwarkError(e)) throw e;
    if (e.code === 'PVE_FORBIDDEN' || e.code === 'NOT_FOUND' || e.code === 'PVE_API_ERROR') return none;
    if (e.code === 'PVE_UNREACHABLE') return { ...none, unreachable: true };
    throw e;
  }
}

async function addressesOf(client: PveClient, r: ClusterResource & { vmid: number; node: string }, unreachable: Set<string>, agent: boolean | null): Promise<{ addresses: GuestSnapshot['addresses']; note: string | null; unreachable?: boolean }> {
  if (unreachable.has(r.node) || r.status === 'unknown') return { addresses: [], note: `node ${r.node} is unreachable` };
  if (r.template) return { addresses: [], note: 'a template' };
  if (r.status !== 'running') return { addresses: [], note: `the guest is ${r.status ?? 'not running'}` };
  try {
    // the config just said there is no agent to ask: a call would only come back as that error
    if (r.type === 'qemu' && agent === false) return { addresses: [], note: 'No QEMU guest agent configured (Options › QEMU Guest Agent is off)' };
    if (r.type === 'qemu') return { addresses: agentAddresses(await client.get(pvePath('nodes', r.node, 'qemu', r.vmid, 'agent', 'network-get-interfaces'), agentInterfacesSchema)), note: null };
    return { addresses: lxcAddresses(await client.get(pvePath('nodes', r.node, 'lxc', r.vmid, 'interfaces'), lxcInterfacesSchema)), note: null };
  } catch (e) {
    if (!isBulwarkError(e)) throw e;
    // these say something about this guest (or its node); anything else (auth, pin) stops the read
    if (e.code === 'PVE_GUEST_AGENT' || e.code === 'PVE_FORBIDDEN' || e.code === 'NOT_FOUND' || e.code === 'PVE_API_ERROR') return { addresses: [], note: e.message };
    if (e.code === 'PVE_UNREACHABLE') return { addresses: [], note: e.message, unreachable: true };
    throw e;
  }
}
