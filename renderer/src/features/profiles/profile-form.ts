/**
 * The profile editor's state and its way to a ProfileInput and back: drafts for every control
 * of the catalogue (so unticking and ticking a control again keeps what was typed), checks with
 * profileInputSchema and each parameter's JSON Schema, and main's errors mapped back onto the
 * fields they name.
 */
import { profileInputSchema, type ControlCatalogEntry, type ProfileInput, type ProfileView } from '../../../../shared/domain/hardening';
import { BulwarkError } from '../../../../shared/errors';
import { draftOf, readDraft, sameValue, type Draft } from './param-draft';
import { paramFields, type ParamField } from './param-schema';

export type EditorMode = 'create' | 'edit' | 'copy';

export interface ProfileFormValues {
  id: string;
  name: string;
  description: string;
  /** Ticked control ids; the profile lists them in the catalogue's order. */
  chosen: string[];
  /** Per control id, a draft per parameter key. */
  drafts: Record<string, Record<string, Draft>>;
}

/** Keys: 'id', 'name', 'description', 'controls', paramErrorKey(...) and controlErrorKey(...). */
export type ProfileFormErrors = Record<string, string>;

export const HEADER_FIELDS = ['id', 'name', 'description'] as const;
export const NAME_MAX = 80;

export function paramErrorKey(controlId: string, key: string): string {
  return `param:${controlId}:${key}`;
}

export function controlErrorKey(controlId: string): string {
  return `control:${controlId}`;
}

/** The parsed fields of each catalogue control, computed once per catalogue. */
export function fieldsByControl(catalog: readonly ControlCatalogEntry[]): Map<string, ParamField[]> {
  return new Map(catalog.map((c) => [c.id, paramFields(c.paramsSchema, c.defaults)]));
}

function draftsFor(entry: ControlCatalogEntry, fields: ParamField[], params: Record<string, unknown> | undefined): Record<string, Draft> {
  const out: Record<string, Draft> = {};
  for (const f of fields) out[f.key] = draftOf(f, params && f.key in params ? params[f.key] : entry.defaults[f.key]);
  return out;
}

function allDrafts(catalog: readonly ControlCatalogEntry[], fields: Map<string, ParamField[]>, given: Map<string, Record<string, unknown>>): ProfileFormValues['drafts'] {
  return Object.fromEntries(catalog.map((c) => [c.id, draftsFor(c, fields.get(c.id) ?? [], given.get(c.id))]));
}

export function emptyForm(catalog: readonly ControlCatalogEntry[]): ProfileFormValues {
  return { id: '', name: '', description: '', chosen: [], drafts: allDrafts(catalog, fieldsByControl(catalog), new Map()) };
}

/** "guide-baseline" -> "guide-baseline-copy", then "-copy-2"... skipping ids in use. */
export function copyId(id: string, taken: ReadonlySet<string>): string {
  const base = `${id}`.slice(0, 56);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${base}-copy` : `${base}-copy-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The editor prefilled from a profile: as it is (edit) or as a new profile with a fresh id (copy). */
export function formFromProfile(profile: ProfileView, catalog: readonly ControlCatalogEntry[], mode: Exclude<EditorMode, 'create'>, taken: ReadonlySet<string>): ProfileFormValues {
  const given = new Map(profile.controls.map((c) => [c.id, c.params]));
  const copy = mode === 'copy';
  return {
    id: copy ? copyId(profile.id, taken) : profile.id,
    name: copy ? `${profile.name} (copy)`.slice(0, NAME_MAX) : profile.name,
    description: profile.description,
    chosen: profile.controls.map((c) => c.id),
    drafts: allDrafts(catalog, fieldsByControl(catalog), given),
  };
}

/**
 * The ProfileInput the form stands for, and every problem found on the way. Parameters equal to
 * the control's default are left out, as the built-in profiles do: the stored profile (and its
 * YAML) says what the user chose, and follows the guide's defaults for the rest.
 */
export function toProfileInput(
  values: ProfileFormValues,
  catalog: readonly ControlCatalogEntry[],
  fields: Map<string, ParamField[]> = fieldsByControl(catalog),
): { input: ProfileInput; errors: ProfileFormErrors } {
  const errors: ProfileFormErrors = {};
  const chosen = new Set(values.chosen);
  const controls: ProfileInput['controls'] = [];
  for (const entry of catalog) {
    if (!chosen.has(entry.id)) continue;
    const params: Record<string, unknown> = {};
    for (const field of fields.get(entry.id) ?? []) {
      const draft = values.drafts[entry.id]?.[field.key];
      if (!draft) continue;
      const r = readDraft(field, draft);
      if (!r.ok) errors[paramErrorKey(entry.id, field.key)] = r.error;
      else if (r.present && !('default' in field && sameValue(r.value, field.default))) params[field.key] = r.value;
    }
    controls.push(Object.keys(params).length ? { id: entry.id, params } : { id: entry.id });
  }
  const input: ProfileInput = { id: values.id.trim(), name: values.name.trim(), description: values.description.trim(), controls };
  const parsed = profileInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head] = issue.path;
      const key = head === 'id' || head === 'name' || head === 'description' ? head : 'controls';
      errors[key] ??= issue.message;
    }
  }
  return { input, errors };
}

/** Ids the new profile may not take: built-in ones and, when creating, the custom ones. */
export function idProblem(id: string, mode: EditorMode, profiles: readonly Pick<ProfileView, 'id' | 'builtIn'>[]): string | null {
  if (mode === 'edit') return null;
  const existing = profiles.find((p) => p.id === id.trim());
  if (!existing) return null;
  return existing.builtIn ? 'is a built-in profile: choose another id' : 'is already used by a custom profile';
}

/**
 * Main's error fields mapped onto the form. Paths come three ways: from main's checks
 * ('controls.2.params.lanCidr', 'name'), from the request check in front of the handler
 * ('profile.controls.2.params.lanCidr'), and from a run's check ('ufw.lanCidr'). The index is
 * resolved against the controls actually sent. Whatever names no field is returned as `other`.
 */
export function serverErrors(error: unknown, sent: ProfileInput, fields: Map<string, ParamField[]>): { errors: ProfileFormErrors; other: string[] } {
  const errors: ProfileFormErrors = {};
  const other: string[] = [];
  if (!(error instanceof BulwarkError) || !error.fields) return { errors, other };
  for (const [rawPath, rawMessage] of Object.entries(error.fields)) {
    const path = rawPath.startsWith('profile.') ? rawPath.slice('profile.'.length) : rawPath;
    const parts = path.split('.');
    const [head] = parts;
    let key: string | null = null;
    let message = rawMessage;
    if (head === 'id' || head === 'name' || head === 'description') key = head;
    else if (head === 'controls') {
      const index = Number(parts[1]);
      const controlId = Number.isInteger(index) ? sent.controls[index]?.id : undefined;
      if (controlId === undefined) key = 'controls';
      else if (parts[2] === 'params' && parts[3] && fields.get(controlId)?.some((f) => f.key === parts[3])) {
        key = paramErrorKey(controlId, parts[3]);
        // "control ufw: lanCidr is ..." reads as "is ..." under the lanCidr field
        message = rawMessage.replace(new RegExp(`^control ${escapeRegExp(controlId)}: ${escapeRegExp(parts.slice(3).join('.'))} `), '');
      } else key = controlErrorKey(controlId);
    } else if (head && fields.has(head) && parts[1] && fields.get(head)?.some((f) => f.key === parts[1])) {
      key = paramErrorKey(head, parts[1]);
    }
    if (key) errors[key] ??= message;
    else other.push(`${rawPath}: ${rawMessage}`);
  }
  return { errors, other };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parameter keys whose current value differs from the control's default (drafts that do not parse count as changed). */
export function changedParams(entryId: string, values: ProfileFormValues, fields: Map<string, ParamField[]>): Set<string> {
  const out = new Set<string>();
  for (const field of fields.get(entryId) ?? []) {
    const draft = values.drafts[entryId]?.[field.key];
    if (!draft) continue;
    const r = readDraft(field, draft);
    const value = r.ok ? (r.present ? r.value : undefined) : Symbol('invalid');
    if (!sameValue(value, field.default)) out.add(field.key);
  }
  return out;
}

/** The first error key in the order the form shows fields, for focus. */
export function firstErrorKey(errors: ProfileFormErrors, catalog: readonly ControlCatalogEntry[], fields: Map<string, ParamField[]>): string | null {
  const order = [...HEADER_FIELDS, 'controls', ...catalog.flatMap((c) => [controlErrorKey(c.id), ...(fields.get(c.id) ?? []).map((f) => paramErrorKey(c.id, f.key))])];
  return order.find((k) => errors[k]) ?? null;
}
