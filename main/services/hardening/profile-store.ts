/**
 * Custom hardening profiles, stored in the vault as 'hardening-profile' records (encrypted like
 * every record). Record ids are opaque (newId()): the vault keeps ids in plain text, and a
 * profile's slug can say more than it should ("acme-payments-db"). A profile is checked in full
 * before it is stored: its shape by profileInputSchema, every control's parameters by that
 * control's own schema, so a stored profile always runs.
 */
import { profileInputSchema, type ProfileInput } from '../../../shared/domain/hardening';
import { BulwarkError, validationError } from '../../../shared/errors';
import type { z } from '../../../shared/zod';
import { newId } from '../vault';
import type { RecordStore } from '../inventory/types';
import { CONTROLS } from './controls';
import { BUILT_IN_PROFILES, type Profile } from './profiles';

export const PROFILE_KIND = 'hardening-profile';

interface StoredProfile extends Profile {
  recordId: string;
  createdAt: number;
  updatedAt: number;
}

/** Where a problem is, from the profile's root (['controls', 2, 'params', 'lanCidr']), and what it is. */
export interface ProfileProblem {
  path: Array<string | number>;
  message: string;
}

export function isBuiltInId(id: string): boolean {
  return BUILT_IN_PROFILES.some((b) => b.id === id);
}

/**
 * The first problem of a profile's controls: an unknown control, one listed twice, or a
 * parameter its control's schema refuses. The message names the control and the field.
 */
export function controlProblem(controls: Profile['controls']): ProfileProblem | undefined {
  const seen = new Set<string>();
  for (const [i, pc] of controls.entries()) {
    const control = CONTROLS.get(pc.id);
    if (!control) return { path: ['controls', i, 'id'], message: `unknown control "${pc.id}" (known: ${[...CONTROLS.keys()].join(', ')})` };
    // twice would plan the same change twice, and two parameter sets for one drop-in contradict each other
    if (seen.has(pc.id)) return { path: ['controls', i, 'id'], message: `control ${pc.id} is listed twice` };
    seen.add(pc.id);
    const parsed = (control.params as z.ZodType).safeParse(pc.params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join('.');
      return { path: ['controls', i, 'params', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: `control ${pc.id}: ${field || 'params'} ${issue.message}` };
    }
  }
  return undefined;
}

/**
 * A profile as the editor or an import sends it, fully checked: VALIDATION naming the field
 * (and for parameters the control), CONFLICT for a built-in id.
 */
export function checkProfileInput(input: unknown): Profile {
  const r = profileInputSchema.safeParse(input);
  if (!r.success) throw validationError(r.error.issues, 'The profile is invalid');
  const p = r.data;
  if (isBuiltInId(p.id)) {
    throw new BulwarkError('CONFLICT', `"${p.id}" is a built-in profile and cannot be changed: save your version under another id`, { id: 'is a built-in profile' });
  }
  const profile: Profile = { id: p.id, name: p.name, description: p.description, controls: p.controls.map((c) => (c.params ? { id: c.id, params: c.params } : { id: c.id })) };
  const problem = controlProblem(profile.controls);
  if (problem) throw new BulwarkError('VALIDATION', `Profile "${p.id}", ${problem.message}`, { [problem.path.join('.')]: problem.message });
  return profile;
}

function plain(s: StoredProfile): Profile {
  return { id: s.id, name: s.name, description: s.description, controls: s.controls.map((c) => (c.params ? { id: c.id, params: { ...c.params } } : { id: c.id })) };
}

export class ProfileStore {
  private readonly now: () => number;

  constructor(
    private readonly vault: RecordStore,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Custom profiles, by id. */
  list(): Profile[] {
    return this.rows()
      .map(plain)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: string): Profile | undefined {
    const row = this.row(id);
    return row ? plain(row) : undefined;
  }

  /**
   * Stores a new profile, or replaces the one with that id when `replace` is set (CONFLICT
   * otherwise). Returns the profile as stored.
   */
  save(input: ProfileInput | unknown, options: { replace?: boolean | undefined } = {}): Profile {
    const profile = checkProfileInput(input);
    return this.vault.transaction(() => {
      const existing = this.row(profile.id);
      if (existing && !options.replace) {
        throw new BulwarkError('CONFLICT', `A custom profile "${profile.id}" already exists (replace it, or choose another id)`, { id: 'is already used by a custom profile' });
      }
      const t = this.now();
      const stored: StoredProfile = { ...profile, recordId: existing?.recordId ?? newId(), createdAt: existing?.createdAt ?? t, updatedAt: t };
      this.vault.put(PROFILE_KIND, stored.recordId, stored);
      return plain(stored);
    });
  }

  /** Whether a custom profile went; built-in ids are refused (there is nothing to delete). */
  delete(id: string): boolean {
    if (isBuiltInId(id)) throw new BulwarkError('CONFLICT', `"${id}" is a built-in profile: it cannot be deleted`, { id: 'is a built-in profile' });
    const row = this.row(id);
    return row ? this.vault.delete(PROFILE_KIND, [row.recordId]) > 0 : false;
  }

  private row(id: string): StoredProfile | undefined {
    return this.rows().find((r) => r.id === id);
  }

  private rows(): StoredProfile[] {
    return this.vault.list<StoredProfile>(PROFILE_KIND);
  }
}
