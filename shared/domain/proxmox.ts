import { z } from '../zod';
import { checked, portSchema } from './host';
import { addressProblem, hostNameProblem, TLS_FINGERPRINT_PATTERN } from './validators';

/** USER@REALM!TOKENID as Proxmox prints it. */
export const PVE_TOKEN_ID_PATTERN = /^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+![A-Za-z][A-Za-z0-9._-]*$/;
/** USER@REALM, e.g. root@pam: the login of a user with a password (and no second factor). */
export const PVE_USER_PATTERN = /^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$/;

export const fingerprintSchema = z
  .string()
  .transform((f) => f.trim().toUpperCase())
  .pipe(z.string().regex(TLS_FINGERPRINT_PATTERN, 'must be a SHA-256 fingerprint like AA:BB:...(32 bytes)'));

/**
 * How Bulwark signs in: an API token (the default; `user` is USER@REALM!TOKENID and `secret`
 * the token's secret) or a user's password (`user` is USER@REALM), which gets a ticket.
 */
export const pveAuthKindSchema = z.enum(['token', 'password']);

const endpointFields = z.object({
  name: checked(hostNameProblem),
  address: checked(addressProblem),
  port: portSchema.default(8006),
  auth: pveAuthKindSchema.default('token'),
  user: z.string().max(200),
  secret: z.string().max(4096),
  /** SHA-256 of the certificate the user confirmed: the node's own certificate. */
  fingerprint: fingerprintSchema.nullable().default(null),
});

function credentialIssues(v: { auth: 'token' | 'password'; user: string; secret: string }, ctx: z.RefinementCtx): void {
  if (v.auth === 'token') {
    if (!PVE_TOKEN_ID_PATTERN.test(v.user)) ctx.addIssue({ code: 'custom', path: ['user'], message: 'must be the token id, like user@realm!tokenid' });
    if (!/^[A-Za-z0-9-]{8,128}$/.test(v.secret)) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'must be the token secret Proxmox showed (letters, digits, "-")' });
  } else {
    if (!PVE_USER_PATTERN.test(v.user)) ctx.addIssue({ code: 'custom', path: ['user'], message: 'must be a user with its realm, like root@pam' });
    if (v.secret.length === 0) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is required' });
  }
}

/**
 * A new endpoint as the user enters it. `pin` is what to pin once the node certificate is
 * confirmed: the cluster CA (when it issued that certificate; renewals then keep working) or
 * just this certificate.
 */
export const proxmoxNodeInputSchema = endpointFields.extend({ pin: z.enum(['ca', 'certificate']).default('ca') }).superRefine(credentialIssues);
export type ProxmoxNodeInput = z.input<typeof proxmoxNodeInputSchema>;
export type ProxmoxNodeFields = z.output<typeof proxmoxNodeInputSchema>;

/** The address part of an endpoint, enough to look at the certificate it presents. */
export const endpointAddressSchema = endpointFields.pick({ name: true, address: true, port: true });

/**
 * A stored endpoint. `fingerprint` is what is pinned: the node certificate's SHA-256, or the
 * cluster CA's when `caPem` holds that CA (read through the already pinned connection).
 */
export const proxmoxNodeSchema = endpointFields.extend({
  fingerprint: fingerprintSchema,
  caPem: z.string().nullable(),
  id: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ProxmoxNode = z.output<typeof proxmoxNodeSchema>;

/** What crosses IPC: never the secret. */
export const proxmoxNodeViewSchema = proxmoxNodeSchema.omit({ secret: true, caPem: true }).extend({ hasSecret: z.boolean(), pin: z.enum(['ca', 'certificate']) });
export type ProxmoxNodeView = z.infer<typeof proxmoxNodeViewSchema>;

/** What was pinned, and why not the CA when the user asked for it. */
export const pinOutcomeSchema = z.object({
  kind: z.enum(['ca', 'certificate']),
  sha256: z.string(),
  subject: z.string(),
  note: z.string().nullable(),
});
export type PinOutcome = z.infer<typeof pinOutcomeSchema>;

/** An address a guest reported (QEMU guest agent or the container's interfaces). */
export const guestAddressSchema = z.object({
  interface: z.string(),
  address: z.string(),
  family: z.union([z.literal(4), z.literal(6)]),
  prefix: z.number().int().nullable(),
});

/** A node of a Proxmox endpoint as the last sync saw it. */
export const pveNodeStatusSchema = z.object({
  name: z.string(),
  online: z.boolean(),
  ip: z.string().nullable(),
  cpu: z.number().nullable(),
  maxcpu: z.number().nullable(),
  mem: z.number().nullable(),
  maxmem: z.number().nullable(),
  uptime: z.number().nullable(),
});
export type PveNodeStatus = z.infer<typeof pveNodeStatusSchema>;

/** What Proxmox says about one guest now. */
export const guestSnapshotSchema = z.object({
  vmid: z.number().int(),
  node: z.string(),
  type: z.enum(['qemu', 'lxc']),
  name: z.string(),
  /** running, stopped, paused…; "unknown" while its node is unreachable. */
  status: z.string(),
  template: z.boolean(),
  tags: z.array(z.string()),
  cpu: z.number().nullable(),
  maxcpu: z.number().nullable(),
  mem: z.number().nullable(),
  maxmem: z.number().nullable(),
  uptime: z.number().nullable(),
  addresses: z.array(guestAddressSchema),
  /** Why `addresses` could not be read from the guest (agent not running, no privilege, guest stopped); null when read. */
  addressNote: z.string().nullable(),
  /**
   * Where `addresses` come from: the running guest (agent or container interfaces), or its
   * Proxmox configuration (cloud-init ipconfigN, a container's netN ip=) when the guest could
   * not be asked. Defaults keep guests stored by earlier versions readable.
   */
  addressSource: z.enum(['guest', 'config']).nullable().default(null),
  /** Static addresses in the guest's configuration (none for DHCP). */
  configuredAddresses: z.array(guestAddressSchema).default([]),
  /** qemu ostype (l26, win11…) or the container's distribution; null when the config was not read. */
  ostype: z.string().nullable().default(null),
});
export type GuestSnapshot = z.output<typeof guestSnapshotSchema>;

/**
 * A guest in the vault: Proxmox's current view plus what the user last accepted (name and
 * addresses), so a rename or an address change stays visible as drift until accepted, and a
 * guest that disappeared is kept (goneSince) until the user removes it: nothing is deleted silently.
 */
export const pveGuestSchema = guestSnapshotSchema.extend({
  id: z.string(),
  endpointId: z.string(),
  accepted: z.object({ name: z.string(), addresses: z.array(z.string()) }).nullable(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
  goneSince: z.number().nullable(),
});
export type PveGuest = z.infer<typeof pveGuestSchema>;

export const guestChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('new'), guestId: z.string(), name: z.string(), addresses: z.array(z.string()) }),
  z.object({ kind: z.literal('gone'), guestId: z.string(), name: z.string(), since: z.number() }),
  z.object({ kind: z.literal('renamed'), guestId: z.string(), from: z.string(), to: z.string() }),
  z.object({ kind: z.literal('address'), guestId: z.string(), name: z.string(), from: z.array(z.string()), to: z.array(z.string()) }),
]);
export type GuestChange = z.infer<typeof guestChangeSchema>;

/** What an endpoint presented on first contact, for the user to compare before pinning it. */
export const presentedCertificateSchema = z.object({
  sha256: z.string(),
  subject: z.string(),
  issuer: z.string(),
  validTo: z.string(),
  chain: z.array(z.object({ sha256: z.string(), subject: z.string(), pem: z.string() })),
});

export const missingPrivilegeSchema = z.object({ path: z.string(), privilege: z.string(), neededFor: z.string() });

/** An endpoint just added: checked for real (certificate, token) with the privileges it has. */
export const addedEndpointSchema = z.object({
  endpoint: proxmoxNodeViewSchema,
  pinned: pinOutcomeSchema,
  version: z.string(),
  privileges: z.record(z.string(), z.record(z.string(), z.boolean())),
  missing: z.array(missingPrivilegeSchema),
});

export const endpointSyncSchema = z.object({
  endpointId: z.string(),
  clusterName: z.string().nullable(),
  nodes: z.array(pveNodeStatusSchema),
  unreachableNodes: z.array(z.string()),
  syncedAt: z.number(),
});

export const syncResultSchema = endpointSyncSchema.extend({ guests: z.array(pveGuestSchema), changes: z.array(guestChangeSchema) });

/** An endpoint with what its last sync found and the changes waiting for the user. */
export const endpointStateSchema = proxmoxNodeViewSchema.extend({
  lastSync: endpointSyncSchema.nullable(),
  guests: z.array(pveGuestSchema),
  changes: z.array(guestChangeSchema),
});

export const acceptResultSchema = z.object({
  guestId: z.string(),
  guest: z.string(),
  host: z.object({ name: z.string(), action: z.enum(['created', 'renamed', 'readdressed', 'renamed and readdressed', 'unlinked']) }).nullable(),
});

/**
 * Inventory hosts that are this endpoint's nodes: their address is the endpoint's address or
 * a node IP from the last sync. The firewall apply logs into one of them before keeping the
 * firewall on; with exactly one candidate it is the default.
 */
export function nodeHostCandidates<H extends { address: string }>(hosts: readonly H[], endpoint: { address: string; lastSync: { nodes: { ip: string | null }[] } | null }): H[] {
  const addresses = new Set([endpoint.address, ...(endpoint.lastSync?.nodes ?? []).map((n) => n.ip).filter((ip): ip is string => !!ip)].map((a) => a.toLowerCase()));
  return hosts.filter((h) => addresses.has(h.address.toLowerCase()));
}
