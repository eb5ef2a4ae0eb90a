import { z } from '../zod';
import { checked, portSchema } from './host';
import { addressProblem, hostNameProblem, TLS_FINGERPRINT_PATTERN } from './validators';

/** USER@REALM!TOKENID as Proxmox prints it. */
export const PVE_TOKEN_ID_PATTERN = /^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+![A-Za-z][A-Za-z0-9._-]*$/;

export const proxmoxNodeInputSchema = z.object({
  name: checked(hostNameProblem),
  address: checked(addressProblem),
  port: portSchema.default(8006),
  tokenId: z.string().regex(PVE_TOKEN_ID_PATTERN, 'must look like user@realm!tokenid'),
  tokenSecret: z.string().regex(/^[A-Za-z0-9-]{8,128}$/, 'must be the token secret Proxmox showed (letters, digits, "-")'),
  fingerprint: z
    .string()
    .transform((f) => f.trim().toUpperCase())
    .pipe(z.string().regex(TLS_FINGERPRINT_PATTERN, 'must be a SHA-256 fingerprint like AA:BB:...(32 bytes)'))
    .nullable()
    .default(null),
});
export type ProxmoxNodeInput = z.input<typeof proxmoxNodeInputSchema>;
export type ProxmoxNodeFields = z.output<typeof proxmoxNodeInputSchema>;

export const proxmoxNodeSchema = proxmoxNodeInputSchema.extend({
  id: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ProxmoxNode = z.output<typeof proxmoxNodeSchema>;

/** What crosses IPC: never the token secret. */
export const proxmoxNodeViewSchema = proxmoxNodeSchema.omit({ tokenSecret: true }).extend({ hasSecret: z.boolean() });
export type ProxmoxNodeView = z.infer<typeof proxmoxNodeViewSchema>;

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
  /** Why `addresses` is not known (agent not running, no privilege, guest stopped); null when read. */
  addressNote: z.string().nullable(),
});
export type GuestSnapshot = z.infer<typeof guestSnapshotSchema>;

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
