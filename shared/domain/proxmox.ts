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
