/** The checks around a YAML import that need no YAML parser: size, emptiness, and what a CONFLICT means. */
import { BulwarkError } from '../../../../shared/errors';

/** profiles:import's limit on the text (shared/contract.ts), checked here for a clearer message. */
export const MAX_PROFILE_YAML = 262_144;

export function importTextProblem(text: string): string | null {
  if (text.trim() === '') return 'Paste the profile YAML or choose a file';
  if (text.length > MAX_PROFILE_YAML) return `The text is ${text.length.toLocaleString('en')} characters; a profile is at most ${MAX_PROFILE_YAML.toLocaleString('en')}`;
  return null;
}

/**
 * The id a CONFLICT says is taken by a custom profile, or null when the conflict cannot be
 * resolved by replacing (a built-in id: those are never overwritten) or is not a conflict.
 */
export function importConflict(error: unknown): string | null {
  if (!(error instanceof BulwarkError) || error.code !== 'CONFLICT') return null;
  if (/built-in/i.test(error.message) || /built-in/i.test(error.fields?.id ?? '')) return null;
  return /"([a-z0-9][a-z0-9-]*)"/.exec(error.message)?.[1] ?? 'the existing profile';
}
