import { z } from '../zod';
import {
  addressProblem,
  hostNameProblem,
  jumpHostProblem,
  portProblem,
  tagProblem,
  usernameProblem,
} from './validators';

/** Builds a zod string schema from a "problem" function so messages stay in one place. */
export function checked(problem: (v: string) => string | null) {
  return z.string().superRefine((v, ctx) => {
    const p = problem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });
}

export const tagSchema = z
  .string()
  .transform((t) => t.trim().toLowerCase())
  .pipe(checked(tagProblem));

export const portSchema = z.number().superRefine((v, ctx) => {
  const p = portProblem(v);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});

export const guestLinkSchema = z.object({
  nodeId: z.string().min(1).max(64),
  vmid: z.number().int().min(100).max(999_999_999),
});
export type GuestLink = z.infer<typeof guestLinkSchema>;

/** What a user (or an import) supplies for a host. */
export const hostInputSchema = z.object({
  name: checked(hostNameProblem),
  address: checked(addressProblem),
  port: portSchema.default(22),
  user: checked(usernameProblem).default('root'),
  jumpHost: checked(jumpHostProblem).default(''),
  tags: z
    .array(tagSchema)
    .max(64, 'at most 64 tags')
    .default([])
    .transform((tags) => [...new Set(tags)].sort()),
  notes: z.string().max(10_000, 'must be at most 10,000 characters').default(''),
  guest: guestLinkSchema.nullable().default(null),
  /** The vault SSH key Bulwark logs in with (null: every vault key, then the agent). */
  loginKeyId: z.string().min(1).max(64).nullable().default(null),
});
export type HostInput = z.input<typeof hostInputSchema>;
export type HostFields = z.output<typeof hostInputSchema>;

/**
 * A stored host as it crosses IPC. Its values were validated when they were written, so the
 * reply schema checks the shape and strips unknown fields without re-running every field
 * validator over 10,000 hosts on each list (which cost ~200 ms per hosts:list).
 */
export const hostSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  user: z.string(),
  jumpHost: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  guest: guestLinkSchema.nullable(),
  loginKeyId: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Host = z.output<typeof hostSchema>;

/** How an import went, host by host. */
export const importReportSchema = z.object({
  added: z.array(z.string()),
  updated: z.array(z.string()),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type ImportReport = z.infer<typeof importReportSchema>;
