/**
 * SSH keys and key fleet operations as they cross IPC: the input schemas the forms share with
 * main (one wording for every message), and the reply shapes. Private keys never appear here.
 */
import { z } from '../zod';
import { hostNameProblem } from './validators';

/** The key algorithms Bulwark stores and deploys. DSA is refused. */
export const KEY_TYPES = ['ed25519', 'rsa', 'ecdsa'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** Where a stored key came from. 'ssh-config' = found through an IdentityFile of an imported ssh_config. */
export const KEY_SOURCES = ['generated', 'imported', 'ssh-config'] as const;
export type KeySource = (typeof KEY_SOURCES)[number];

/** A private key file is never longer than this (an RSA-16384 PEM is ~13 KiB). */
export const MAX_KEY_TEXT = 64 * 1024;
export const MAX_COMMENT = 255;
export const MAX_KEY_PASSPHRASE = 1024;

/**
 * Key names follow the inventory's name rule: they become file names on export (id_<name>)
 * and appear on command lines, so the same conservative alphabet applies.
 */
export function keyNameProblem(value: string): string | null {
  return hostNameProblem(value);
}

/** Comments end up at the end of authorized_keys lines: one line, no control characters. */
export function commentProblem(value: string): string | null {
  if (typeof value !== 'string') return 'must be text';
  if (value.length > MAX_COMMENT) return `must be at most ${MAX_COMMENT} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return 'must be one line without control characters';
  if (value.trim() !== value) return 'must not start or end with spaces';
  return null;
}

export function keyPassphraseProblem(value: string): string | null {
  if (typeof value !== 'string') return 'must be text';
  if (value === '') return 'must not be empty (leave it out for no passphrase)';
  if (value.length > MAX_KEY_PASSPHRASE) return `must be at most ${MAX_KEY_PASSPHRASE} characters`;
  return null;
}

function checkedString(problem: (v: string) => string | null) {
  return z.string().superRefine((v, ctx) => {
    const p = problem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });
}

const keyNameSchema = checkedString(keyNameProblem);
const commentSchema = checkedString(commentProblem);
const keyPassphraseSchema = z.string().max(MAX_KEY_PASSPHRASE, `must be at most ${MAX_KEY_PASSPHRASE} characters`);

export const generateKeyInputSchema = z.object({
  name: keyNameSchema,
  type: z.enum(KEY_TYPES).default('ed25519'),
  bits: z.number().int().optional(),
  comment: commentSchema.optional(),
});
export type GenerateKeyInput = z.input<typeof generateKeyInputSchema>;

export const importKeyInputSchema = z.object({
  name: keyNameSchema,
  text: z.string().min(1, 'is empty').max(MAX_KEY_TEXT, `must be at most ${MAX_KEY_TEXT} characters`),
  passphrase: keyPassphraseSchema.optional(),
  comment: commentSchema.optional(),
  source: z.enum(['imported', 'ssh-config']).default('imported'),
});
export type ImportKeyInput = z.input<typeof importKeyInputSchema>;

export const renameKeyInputSchema = z.object({ name: keyNameSchema });

export const exportPrivateOptionsSchema = z.object({
  passphrase: keyPassphraseSchema.min(1, 'must not be empty (leave it out for no passphrase)').optional(),
});

/** A stored key without its private half. */
export const sshKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(KEY_TYPES),
  bits: z.number().int(),
  publicKey: z.string(),
  fingerprint: z.string(),
  /** The whole `ssh-keygen -lf` line. */
  fingerprintLine: z.string(),
  comment: z.string(),
  source: z.enum(KEY_SOURCES),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type SshKeyViewData = z.output<typeof sshKeyViewSchema>;

// ---- fleet operations ----------------------------------------------------------------------

/** A per-host failure: a shared error code or one of the key scripts' own. */
export const fleetErrorSchema = z.object({ code: z.string(), message: z.string() });

export const fleetSummarySchema = z.object({
  total: z.number().int(),
  ok: z.number().int(),
  failed: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
});

function fleetResult<R extends z.ZodType>(row: R) {
  return z.object({ results: z.array(row), summary: fleetSummarySchema });
}

const hostRunBase = {
  host: z.string(),
  error: fleetErrorSchema.optional(),
  durationMs: z.number(),
};

export const deployResultSchema = fleetResult(
  z.object({ ...hostRunBase, account: z.string(), status: z.enum(['added', 'unchanged', 'failed']) }),
);

export const auditRowSchema = z.object({
  host: z.string(),
  account: z.string(),
  fingerprint: z.string(),
  type: z.string(),
  comment: z.string(),
  options: z.string(),
  knownKeyId: z.string().nullable(),
  knownKeyName: z.string().nullable(),
});
export type AuditRowData = z.output<typeof auditRowSchema>;

export const auditResultSchema = fleetResult(
  z.object({
    ...hostRunBase,
    status: z.enum(['ok', 'failed']),
    scope: z.enum(['login', 'all-login-shells']),
    rows: z.array(auditRowSchema),
    problems: z.array(z.object({ account: z.string(), message: z.string() })),
  }),
).extend({ rows: z.array(auditRowSchema) });

export const rotateResultSchema = fleetResult(
  z.object({
    ...hostRunBase,
    account: z.string(),
    status: z.enum(['rotated', 'failed']),
    reached: z.enum(['none', 'deployed', 'verified', 'removed']),
    added: z.boolean(),
    /** A failed rotation took back the new key it had added. */
    newKeyRemoved: z.boolean(),
    removedLines: z.number().int(),
  }),
);

export const revokeResultSchema = fleetResult(
  z.object({
    ...hostRunBase,
    account: z.string(),
    status: z.enum(['removed', 'unchanged', 'failed']),
    removedLines: z.number().int(),
  }),
);

export const FLEET_OPS = ['deploy', 'audit', 'rotate', 'revoke'] as const;
export const FLEET_PHASES = ['connecting', 'running', 'verifying', 'removing', 'done', 'failed'] as const;

/** One step of one host in a running job (event jobs:progress). */
export const jobProgressSchema = z.object({
  jobId: z.string(),
  op: z.enum(FLEET_OPS),
  host: z.string(),
  phase: z.enum(FLEET_PHASES),
  status: z.string().optional(),
  error: fleetErrorSchema.optional(),
});
export type JobProgress = z.output<typeof jobProgressSchema>;

/** What a host presents, for the trust dialog (fingerprint as ssh-keygen prints it). */
export const hostKeyProbeSchema = z.object({
  hostId: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  status: z.enum(['trusted', 'unknown', 'changed', 'failed']),
  keyType: z.string().nullable(),
  /** base64 blob: sent back to ssh:trust so exactly what was shown gets pinned. */
  key: z.string().nullable(),
  fingerprint: z.string().nullable(),
  pinned: z.array(z.object({ keyType: z.string(), fingerprint: z.string() })),
  error: fleetErrorSchema.optional(),
});
export type HostKeyProbe = z.output<typeof hostKeyProbeSchema>;
