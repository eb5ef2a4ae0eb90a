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
  'KEY_INVALID', // not a private/public key Bulwark can read; the message names the format seen
  'KEY_UNSUPPORTED', // a readable key of a refused kind (DSA, RSA < 2048, other curves, FIDO)
  'KEY_PASSPHRASE_REQUIRED', // an encrypted private key was given without its passphrase
  'KEY_WRONG_PASSPHRASE', // the passphrase does not open that private key (not the vault's)
  'IO',
  'INTERNAL',
  // SSH engine (main/services/ssh). fields carry host/port and, for host keys, keyType/fingerprint.
  'UNKNOWN_HOST_KEY', // first contact: nothing was sent; trust the fingerprint to continue
  'HOST_KEY_CHANGED', // the host presented another key than the pinned one; aborted before auth
  'SSH_AUTH_FAILED', // every configured method (key, agent, password) was refused
  'SSH_UNREACHABLE', // connection refused, no route, DNS failure, no handshake in time
  'SSH_CONNECTION_LOST', // the connection dropped while in use
  'SSH_PROTOCOL', // handshake failed (no common algorithm) or the server refused a channel
  'TIMEOUT', // an operation ran past its timeoutMs
  'ABORTED', // cancelled through an AbortSignal, or the engine shut down
  'SUDO_AUTH_FAILED', // sudo refused the password (or needed one and none was given)
  'SUDO_DENIED', // sudo missing, user not allowed, or sudo needs a terminal
  'SFTP_FAILED', // an upload failed; the original file is untouched
  // Proxmox VE API (main/services/proxmox). fields.fingerprint carries a presented certificate's SHA-256.
  'TLS_UNPINNED', // first contact: nothing was sent; pin the presented certificate (or its CA) to continue
  'TLS_PIN_MISMATCH', // the node presented a certificate the pin does not accept; nothing was sent
  'PVE_AUTH_FAILED', // 401: token or password refused (Proxmox answers slowly and with an empty body)
  'PVE_FORBIDDEN', // 403: fields.path / fields.privilege name what is missing when the server says
  'PVE_UNREACHABLE', // the API endpoint did not answer, or it answered 595/596 for a node it cannot reach
  'PVE_NOT_IMPLEMENTED', // 501: the server does not know this call (an older Proxmox VE)
  'PVE_DIGEST_MISMATCH', // 500 "detected modified configuration": someone changed it since it was read
  'PVE_GUEST_AGENT', // 500: the QEMU guest agent is not configured or not running in that VM
  'PVE_API_ERROR', // any other error answer; the message carries the server's words
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
