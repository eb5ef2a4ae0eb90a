/**
 * Zod schemas for the Proxmox VE answers Bulwark reads, tolerant of what differs between
 * versions and guest types: booleans as 0/1 (or true/false, or "1"), vmid as a number or a
 * string (older LXC lists), `status: "unknown"` entries of an unreachable node with most fields
 * missing, tags as one `;`-separated string, QEMU guest-agent addresses (`ip-address-type`
 * ipv4/ipv6) versus LXC's `inet`/`inet6` strings. Unknown fields are ignored, never errors.
 */
import { isIP } from 'node:net';
import { z } from '../../../shared/zod';

export const pveBool = z.union([z.boolean(), z.number(), z.string()]).transform((v) => v === true || v === 1 || v === '1');
const vmid = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]).optional();

/** "web;prod", "web,prod" or "web prod" (all accepted by Proxmox) to ["web", "prod"]. */
export const tagsSchema = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((t) => [...new Set((Array.isArray(t) ? t : (t ?? '').split(/[;, ]+/)).map((s) => s.trim()).filter(Boolean))]);

/** One /cluster/resources entry of type qemu, lxc or node; other types are dropped by the caller. */
export const clusterResourceSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  node: z.string().optional(),
  vmid: vmid.optional(),
  name: z.string().optional(),
  status: z.string().optional(),
  template: pveBool.optional(),
  tags: tagsSchema,
  cpu: num,
  maxcpu: num,
  mem: num,
  maxmem: num,
  uptime: num,
});
export type ClusterResource = z.output<typeof clusterResourceSchema>;
export const clusterResourcesSchema = z.array(clusterResourceSchema);

/** /cluster/status: the cluster entry (absent on a standalone node) and one entry per node. */
export const clusterStatusSchema = z.array(
  z.looseObject({
    type: z.string(),
    name: z.string(),
    id: z.string().optional(),
    ip: z.string().optional(),
    online: pveBool.optional(),
    local: pveBool.optional(),
    quorate: pveBool.optional(),
    nodes: num,
  }),
);

const agentAddress = z.looseObject({ 'ip-address': z.string(), 'ip-address-type': z.string().optional(), prefix: num });
/** QEMU guest agent network-get-interfaces: `{"result": [...]}` inside data. */
export const agentInterfacesSchema = z.looseObject({
  result: z.array(z.looseObject({ name: z.string(), 'hardware-address': z.string().optional(), 'ip-addresses': z.array(agentAddress).optional() })),
});

/** LXC /interfaces: `inet`/`inet6` as "addr/prefix" strings (newer servers add `ip-addresses` too). */
export const lxcInterfacesSchema = z
  .array(z.looseObject({ name: z.string(), hwaddr: z.string().optional(), inet: z.string().optional(), inet6: z.string().optional(), 'ip-addresses': z.array(agentAddress).optional() }))
  // null when the container stopped between the list and this read
  .nullable()
  .transform((v) => v ?? []);

/** /access/permissions: ACL path -> privilege -> 1 (0 or missing: not granted). */
export const permissionsSchema = z.record(z.string(), z.record(z.string(), z.union([z.number(), z.boolean()]).transform((v) => v === 1 || v === true)));

/** GET /nodes/{node}/network: the node's interfaces as /etc/network/interfaces configures them. */
export const nodeNetworkSchema = z.array(z.looseObject({ iface: z.string(), type: z.string().optional(), cidr: z.string().optional(), cidr6: z.string().optional() }));

/** GET /nodes: every node, with the fingerprint of the certificate it serves. */
export const nodeListSchema = z.array(z.looseObject({ node: z.string(), status: z.string().optional(), ssl_fingerprint: z.string().optional() }));

/** GET /nodes/{node}/certificates/info: the cluster CA, the node certificate, a custom one. */
export const certificateInfoSchema = z.array(z.looseObject({ filename: z.string().optional(), fingerprint: z.string().optional(), subject: z.string().optional(), pem: z.string().optional() }));

export const versionSchema = z.looseObject({ version: z.string(), release: z.string().optional(), repoid: z.string().optional() });

export interface GuestAddress {
  interface: string;
  address: string;
  family: 4 | 6;
  prefix: number | null;
}

const LOOPBACK = /^(lo|lo\d*)$/;
/** Addresses a person could SSH to: no loopback, no IPv6 link-local, no IPv4 link-local. */
function usable(a: string, family: 4 | 6): boolean {
  if (family === 4) return !a.startsWith('127.') && !a.startsWith('169.254.');
  const l = a.toLowerCase();
  return l !== '::1' && !l.startsWith('fe80:');
}

function fromAgentList(ifname: string, list: z.output<typeof agentAddress>[] | undefined): GuestAddress[] {
  return (list ?? []).flatMap((ip) => {
    const family = ip['ip-address-type'] === 'ipv6' || ip['ip-address'].includes(':') ? 6 : 4;
    return usable(ip['ip-address'], family) ? [{ interface: ifname, address: ip['ip-address'], family, prefix: ip.prefix ?? null }] : [];
  });
}

export function agentAddresses(data: z.output<typeof agentInterfacesSchema>): GuestAddress[] {
  return data.result.filter((i) => !LOOPBACK.test(i.name)).flatMap((i) => fromAgentList(i.name, i['ip-addresses']));
}

export function lxcAddresses(data: z.output<typeof lxcInterfacesSchema>): GuestAddress[] {
  return data
    .filter((i) => !LOOPBACK.test(i.name))
    .flatMap((i) => {
      if (i['ip-addresses']?.length) return fromAgentList(i.name, i['ip-addresses']);
      return [
        [i.inet, 4],
        [i.inet6, 6],
      ].flatMap(([cidr, family]) => {
        if (typeof cidr !== 'string' || !cidr) return [];
        // one string may hold several, space-separated, on some versions
        return cidr.split(/\s+/).flatMap((one) => {
          const [address, prefix] = one.split('/');
          return address && usable(address, family as 4 | 6) ? [{ interface: i.name, address, family: family as 4 | 6, prefix: prefix ? Number(prefix) : null }] : [];
        });
      });
    });
}

/** A guest's configuration: flat keys, string or number values, plus `digest`. */
export const guestConfigSchema = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

/** `key=value,key=value` as Proxmox property strings are written. */
function propertyString(text: string): Map<string, string> {
  return new Map(text.split(',').flatMap((part) => {
    const eq = part.indexOf('=');
    return eq > 0 ? [[part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as const] : [];
  }));
}

function staticAddress(iface: string, value: string | undefined, family: 4 | 6): GuestAddress[] {
  // dhcp, auto and manual say nothing about the address
  const [address, prefix] = (value ?? '').split('/');
  if (!address || isIP(address) !== family || !usable(address, family)) return [];
  return [{ interface: iface, address, family, prefix: prefix !== undefined && /^\d+$/.test(prefix) ? Number(prefix) : null }];
}

/**
 * Static addresses a guest's configuration gives it: cloud-init `ipconfigN` for a VM (on its
 * netN), `netN: name=eth0,...,ip=…,ip6=…` for a container.
 */
export function configuredAddresses(type: 'qemu' | 'lxc', config: Record<string, string>): GuestAddress[] {
  const keyPattern = type === 'qemu' ? /^ipconfig(\d+)$/ : /^net(\d+)$/;
  return Object.entries(config)
    .flatMap(([key, value]) => {
      const m = keyPattern.exec(key);
      if (!m) return [];
      const p = propertyString(value);
      const iface = type === 'qemu' ? `net${m[1]}` : (p.get('name') ?? `net${m[1]}`);
      return [{ n: Number(m[1]), list: [...staticAddress(iface, p.get('ip'), 4), ...staticAddress(iface, p.get('ip6'), 6)] }];
    })
    .sort((a, b) => a.n - b.n)
    .flatMap((x) => x.list);
}
