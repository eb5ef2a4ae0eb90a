/**
 * Typed error codes. Errors cross IPC as data ({ ok: false, error }) because Error objects
 * lose their fields on the way through structured clone.
 */
import { z } from './zod';

export const ERROR_CODES = [
  'BAD_REQUEST', // the payload failed schema validation
  'VALIDATION', // a domain value was rejected; details.fields names each bad field
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'VAULT_ABSENT',
  'VAULT_EXISTS',
  'VAULT_LOCKED',
  'WRONG_PASSPHRASE',
  'WRONG_RECOVERY_KEY',
  'WEAK_PASSPHRASE',
  'VAULT_TAMPERED',
  'VAULT_TRUNCATED',
  'VAULT_TOO_NEW',
  'NOT_A_VAULT',
  'EXPORT_INVALID',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_NOT_ENROLLED',
  'NOT_FOUND',
  'CONFLICT',
  'IMPORT_PARSE',
  'IO',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorDataSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Field name -> human message, for forms. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type ErrorData = z.infer<typeof errorDataSchema>;

/** The one error class services throw for expected failures. */
export class BulwarkError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;

  constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'BulwarkError';
    this.code = code;
    if (fields) this.fields = fields;
  }

  toData(): ErrorData {
    return this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}

export function isBulwarkError(e: unknown): e is BulwarkError {
  return e instanceof BulwarkError;
}

/** Turns a zod error into a VALIDATION error with one message per field path. */
export function validationError(issues: readonly z.core.$ZodIssue[], message = 'Some fields are invalid'): BulwarkError {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    if (!(key in fields)) fields[key] = issue.message;
  }
  const first = Object.entries(fields)[0];
  return new BulwarkError('VALIDATION', first ? `${message}: ${first[0]}: ${first[1]}` : message, fields);
}
