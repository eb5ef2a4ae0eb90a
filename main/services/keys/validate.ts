/** Field checks for key names, comments and key passphrases, worded for forms. */
import { hostNameProblem } from '../../../shared/domain/validators';

/**
 * Key names follow the inventory's name rule: they become file names on export (id_<name>)
 * and appear on command lines, so the same conservative alphabet applies.
 */
export function keyNameProblem(value: string): string | null {
  return hostNameProblem(value);
}

export const MAX_COMMENT = 255;

/** Comments end up at the end of authorized_keys lines: one line, no control characters. */
export function commentProblem(value: string): string | null {
  if (typeof value !== 'string') return 'must be text';
  if (value.length > MAX_COMMENT) return `must be at most ${MAX_COMMENT} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return 'must be one line without control characters';
  if (value.trim() !== value) return 'must not start or end with spaces';
  return null;
}

export const MAX_KEY_PASSPHRASE = 1024;

export function keyPassphraseProblem(value: string): string | null {
  if (typeof value !== 'string') return 'must be text';
  if (value === '') return 'must not be empty (leave it out for no passphrase)';
  if (value.length > MAX_KEY_PASSPHRASE) return `must be at most ${MAX_KEY_PASSPHRASE} characters`;
  return null;
}
