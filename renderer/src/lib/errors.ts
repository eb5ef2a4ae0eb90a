import { BulwarkError } from '../../../shared/errors';

/** Field names the host form shows errors under; anything else goes to the form-level message. */
export type FieldErrors = Record<string, string>;

/**
 * Maps error field paths to form field names. Main's own VALIDATION errors use plain names
 * ('name'); schema failures on the request carry the request path ('host.name', 'host.tags.2').
 */
export function fieldErrorsOf(error: unknown, prefix = ''): FieldErrors {
  if (!(error instanceof BulwarkError) || !error.fields) return {};
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(error.fields)) {
    const bare = prefix && path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : path;
    const key = bare.split('.')[0] ?? bare;
    out[key] ??= message;
  }
  return out;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function codeOf(error: unknown): string | undefined {
  return error instanceof BulwarkError ? error.code : undefined;
}

/** "is required" under a field reads better as "Name is required". */
export function withLabel(label: string, message: string | undefined): string | undefined {
  if (!message) return undefined;
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}
