/**
 * Small pure helpers around host records: parsing input into fields with form-ready errors,
 * comparing fields, and turning zod issues into one-line import reasons.
 */
import type { z } from 'zod';
import { hostInputSchema, type Host, type HostFields } from '../../../shared/domain/host';
import { BulwarkError, validationError } from '../../../shared/errors';

export const HOST_KIND = 'host';

export type ParseResult = { ok: true; fields: HostFields } | { ok: false; issues: readonly z.core.$ZodIssue[] };

export function parseHostInput(input: unknown): ParseResult {
  const r = hostInputSchema.safeParse(input);
  return r.success ? { ok: true, fields: r.data } : { ok: false, issues: r.error.issues };
}

/** Parses or throws VALIDATION with one message per field (what the forms show). */
export function requireHostInput(input: unknown): HostFields {
  const r = parseHostInput(input);
  if (!r.ok) throw validationError(r.issues);
  return r.fields;
}

/** "address: is not a valid ...; port: must be ..." for an import report. */
export function issuesToReason(issues: readonly z.core.$ZodIssue[]): string {
  const fields = validationError(issues).fields ?? {};
  return Object.entries(fields)
    .map(([k, v]) => (k === '_' ? v : `${k}: ${v}`))
    .join('; ');
}

export function fieldsOf(h: Host): HostFields {
  return {
    name: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    jumpHost: h.jumpHost,
    tags: h.tags,
    notes: h.notes,
    guest: h.guest,
    // records written before the field existed
    loginKeyId: h.loginKeyId ?? null,
  };
}

export function sameFields(a: HostFields, b: HostFields): boolean {
  return (
    a.name === b.name &&
    a.address === b.address &&
    a.port === b.port &&
    a.user === b.user &&
    a.jumpHost === b.jumpHost &&
    a.notes === b.notes &&
    a.loginKeyId === b.loginKeyId &&
    a.tags.length === b.tags.length &&
    a.tags.every((t, i) => t === b.tags[i]) &&
    (a.guest === null || b.guest === null
      ? a.guest === b.guest
      : a.guest.nodeId === b.guest.nodeId && a.guest.vmid === b.guest.vmid)
  );
}

export function nameConflict(name: string): BulwarkError {
  return new BulwarkError('CONFLICT', `A host named "${name}" already exists`, {
    name: 'is already used by another host (names are case-insensitive)',
  });
}

/** The name an import entry claims, for reporting even when the entry is invalid. */
export function claimedName(input: unknown): string {
  const n = input && typeof input === 'object' ? (input as { name?: unknown }).name : undefined;
  return typeof n === 'string' && n !== '' ? n : '(unnamed)';
}
