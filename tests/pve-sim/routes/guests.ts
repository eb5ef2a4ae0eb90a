// Guest endpoints under /nodes/{node}/qemu|lxc/{vmid}: config, status, and guest addresses.
import { objectDigest } from '../digest';
import { PveError } from '../errors';
import { reachableNode } from '../nodes';
import { requirePrivilege } from '../privileges';
import type { Route, RouteContext } from '../router';
import type { SimGuest, SimGuestInterface } from '../types';

const MIB = 2 ** 20;

/** Permission, then proxying to the node, then the config file: the order pveproxy checks them in. */
function guestFor(ctx: RouteContext, type: SimGuest['type'], privilege = 'VM.Audit'): SimGuest {
  const vmid = Number(ctx.path.vmid);
  requirePrivilege(ctx.caller.privileges, `/vms/${ctx.path.vmid}`, privilege);
  const nodeName = ctx.path.node ?? '';
  reachableNode(ctx.state, nodeName);
  const guest = ctx.state.guests.find((g) => g.vmid === vmid && g.type === type && g.node === nodeName);
  if (!guest) {
    const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
    throw new PveError(500, `Configuration file 'nodes/${nodeName}/${dir}/${ctx.path.vmid}.conf' does not exist`);
  }
  return guest;
}

const withPrefix = (address: string, defaultPrefix: number): string => (address.includes('/') ? address : `${address}/${defaultPrefix}`);
const tagsText = (guest: SimGuest): Record<string, string> => (guest.tags?.length ? { tags: guest.tags.join(';') } : {});

/** A config file with snapshot sections names the last one as `parent` of the current state. */
function withDigest(guest: SimGuest, config: Record<string, string | number>): Record<string, string | number> {
  const parent = guest.snapshots?.at(-1)?.name;
  const full = parent === undefined ? config : { ...config, parent };
  return { ...full, digest: objectDigest(full) };
}

function qemuConfig(ctx: RouteContext): unknown {
  const guest = guestFor(ctx, 'qemu');
  const config: Record<string, string | number> = {
    name: guest.name, cores: guest.maxcpu ?? 2, memory: String((guest.maxmem ?? 2 * 2 ** 30) / MIB),
    ostype: guest.ostype ?? 'l26', scsihw: 'virtio-scsi-single', boot: 'order=scsi0', ...tagsText(guest),
  };
  if (guest.agent !== undefined && guest.agent !== 'disabled') config.agent = '1';
  if (guest.ipconfig?.length) config.ide2 = `local-lvm:vm-${guest.vmid}-cloudinit,media=cdrom`;
  (guest.ipconfig ?? []).forEach((line, i) => {
    config[`ipconfig${i}`] = line;
  });
  (guest.interfaces ?? []).forEach((nic, i) => {
    config[`net${i}`] = `virtio=${nic.mac ?? '00:00:00:00:00:00'},bridge=vmbr0`;
  });
  return withDigest(guest, config);
}

function lxcConfig(ctx: RouteContext): unknown {
  const guest = guestFor(ctx, 'lxc');
  const config: Record<string, string | number> = {
    hostname: guest.name, cores: guest.maxcpu ?? 1, memory: (guest.maxmem ?? 2 ** 30) / MIB,
    ostype: guest.ostype ?? 'debian', arch: 'amd64', rootfs: `local-lvm:vm-${guest.vmid}-disk-0,size=8G`, ...tagsText(guest),
  };
  (guest.interfaces ?? []).forEach((nic, i) => {
    const ip = nic.ipv4?.[0] ? `,ip=${withPrefix(nic.ipv4[0], 24)}` : '';
    config[`net${i}`] = `name=${nic.name},bridge=vmbr0,hwaddr=${nic.mac ?? '00:00:00:00:00:00'}${ip},type=veth`;
  });
  return withDigest(guest, config);
}

function currentStatus(type: SimGuest['type']) {
  return (ctx: RouteContext): unknown => {
    const guest = guestFor(ctx, type);
    const running = guest.status === 'running';
    const common = {
      vmid: guest.vmid, name: guest.name, status: guest.status, ...tagsText(guest),
      cpu: running ? guest.cpu ?? 0.01 : 0, cpus: guest.maxcpu ?? 2,
      mem: running ? guest.mem ?? 512 * MIB : 0, maxmem: guest.maxmem ?? 2 * 2 ** 30,
      uptime: running ? guest.uptime ?? 3600 : 0,
    };
    if (type === 'lxc') return { ...common, type: 'lxc' };
    return { ...common, qmpstatus: guest.status, agent: guest.agent !== undefined && guest.agent !== 'disabled' ? 1 : 0, ha: { managed: 0 } };
  };
}

/** The guest agent's own answer always starts with the loopback interface. */
const LOOPBACK: SimGuestInterface = { name: 'lo', mac: '00:00:00:00:00:00', ipv4: ['127.0.0.1/8'], ipv6: ['::1/128'] };

function agentAddress(address: string, type: 'ipv4' | 'ipv6') {
  const [ip, prefix] = withPrefix(address, type === 'ipv4' ? 24 : 64).split('/');
  return { 'ip-address': ip, 'ip-address-type': type, prefix: Number(prefix) };
}

/** PVE 8 guards read-only agent calls with VM.Monitor; PVE 9 dropped VM.Monitor for VM.GuestAgent.Audit. */
function agentInterfaces(ctx: RouteContext): unknown {
  const guest = guestFor(ctx, 'qemu', ctx.state.version === 9 ? 'VM.GuestAgent.Audit' : 'VM.Monitor');
  // Checked in this order by PVE::QemuServer::Agent::assert_agent_available.
  if (guest.agent === undefined || guest.agent === 'disabled') throw new PveError(500, 'No QEMU guest agent configured');
  if (guest.status !== 'running') throw new PveError(500, `VM ${guest.vmid} is not running`);
  if (guest.agent === 'not-running') throw new PveError(500, 'QEMU guest agent is not running');
  const result = [LOOPBACK, ...(guest.interfaces ?? [])].map((nic) => ({
    name: nic.name,
    'hardware-address': nic.mac ?? '00:00:00:00:00:00',
    'ip-addresses': [
      ...(nic.ipv4 ?? []).map((a) => agentAddress(a, 'ipv4')),
      ...(nic.ipv6 ?? []).map((a) => agentAddress(a, 'ipv6')),
    ],
  }));
  return { result };
}

/**
 * PVE::LXC::get_interfaces (`ip --json a` in the container's namespace): null for a stopped
 * container. The single-valued inet/inet6 hold the last address of each family. pve-container
 * added hardware-address and ip-addresses (types "inet"/"inet6") in April 2025 (commit 5f9f011,
 * PVE 8.4); version 8 here is the older shape, version 9 has both.
 */
function lxcInterfaces(ctx: RouteContext): unknown {
  const guest = guestFor(ctx, 'lxc');
  if (guest.status !== 'running') return null;
  return [LOOPBACK, ...(guest.interfaces ?? [])].map((nic) => {
    const ipv4 = (nic.ipv4 ?? []).map((a) => withPrefix(a, 24));
    const ipv6 = (nic.ipv6 ?? []).map((a) => withPrefix(a, 64));
    const legacy = {
      name: nic.name,
      hwaddr: nic.mac ?? '00:00:00:00:00:00',
      ...(ipv4.length ? { inet: ipv4.at(-1) } : {}),
      ...(ipv6.length ? { inet6: ipv6.at(-1) } : {}),
    };
    if (ctx.state.version === 8) return legacy;
    const address = (cidr: string, type: 'inet' | 'inet6') => {
      const [ip, prefix] = cidr.split('/');
      return { 'ip-address-type': type, 'ip-address': ip, prefix: Number(prefix) };
    };
    return {
      ...legacy,
      'hardware-address': legacy.hwaddr,
      'ip-addresses': [...ipv4.map((a) => address(a, 'inet')), ...ipv6.map((a) => address(a, 'inet6'))],
    };
  });
}

/**
 * GET …/snapshot (VM.Audit), as qemu-server's `snapshot_list` and pve-container's
 * `API2::LXC::Snapshot::list` build it: one entry per snapshot section, then `current` with the
 * config digest, `running` and "You are here!". Only qemu entries carry `vmstate`. PVE lists the
 * snapshots in hash order; here they come oldest first.
 */
function snapshotList(type: SimGuest['type']) {
  return (ctx: RouteContext): unknown[] => {
    const guest = guestFor(ctx, type);
    const config = (type === 'qemu' ? qemuConfig(ctx) : lxcConfig(ctx)) as { digest: string };
    const snapshots = guest.snapshots ?? [];
    const entries = snapshots.map((snap, i) => ({
      name: snap.name,
      snaptime: snap.snaptime ?? 0,
      ...(type === 'qemu' ? { vmstate: snap.vmstate ? 1 : 0 } : {}),
      description: snap.description ?? '',
      ...(i > 0 ? { parent: snapshots[i - 1]!.name } : {}),
    }));
    const parent = snapshots.at(-1)?.name;
    const current = { name: 'current', digest: config.digest, running: guest.status === 'running' ? 1 : 0, description: 'You are here!', ...(parent === undefined ? {} : { parent }) };
    return [...entries, current];
  };
}

export const guestRoutes: Route[] = [
  { method: 'GET', path: '/nodes/{node}/qemu/{vmid}/config', handler: qemuConfig },
  { method: 'GET', path: '/nodes/{node}/lxc/{vmid}/config', handler: lxcConfig },
  { method: 'GET', path: '/nodes/{node}/qemu/{vmid}/status/current', handler: currentStatus('qemu') },
  { method: 'GET', path: '/nodes/{node}/lxc/{vmid}/status/current', handler: currentStatus('lxc') },
  { method: 'GET', path: '/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', handler: agentInterfaces },
  { method: 'GET', path: '/nodes/{node}/lxc/{vmid}/interfaces', handler: lxcInterfaces },
  { method: 'GET', path: '/nodes/{node}/qemu/{vmid}/snapshot', handler: snapshotList('qemu') },
  { method: 'GET', path: '/nodes/{node}/lxc/{vmid}/snapshot', handler: snapshotList('lxc') },
];
