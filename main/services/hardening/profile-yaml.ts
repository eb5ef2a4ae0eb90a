/**
 * Profiles as YAML files people can read, edit, review and share: a short header, a format
 * marker (`bulwark-profile: 1`) and the profile as the editor sends it. Import reads untrusted
 * text: its size is capped, aliases are capped (an alias bomb expands exponentially), duplicate
 * keys are refused (which one wins is a matter of parser), and every complaint names the line,
 * and for a parameter the control and the field.
 */
import { Document, LineCounter, type Node, isMap, isScalar, parseDocument } from 'yaml';
import { profileInputSchema, type TextFile } from '../../../shared/domain/hardening';
import { BulwarkError } from '../../../shared/errors';
import { type ProfileProblem, controlProblem, isBuiltInId } from './profile-store';
import type { Profile } from './profiles';

export const FORMAT_KEY = 'bulwark-profile';
export const FORMAT_VERSION = 1;
/** As the profiles:import channel allows. */
export const MAX_PROFILE_YAML = 262_144;
/** A profile has no use for aliases beyond a few shared parameter blocks. */
const MAX_ALIASES = 100;

export function profileFileName(id: string): string {
  return `${id}.bulwark-profile.yml`;
}

/** The profile as YAML; parameters as the profile states them (controls apply their defaults to the rest). */
export function profileToYaml(p: Profile): TextFile {
  const body = {
    [FORMAT_KEY]: FORMAT_VERSION,
    id: p.id,
    name: p.name,
    description: p.description,
    controls: p.controls.map((c) => (c.params && Object.keys(c.params).length ? { id: c.id, params: c.params } : { id: c.id })),
  };
  // YAML 1.1 output quotes what PyYAML would misread (no, yes, on): the file reads the same in either
  const doc = new Document(body, { version: '1.1' });
  doc.commentBefore = [
    ` Bulwark hardening profile "${p.name.replace(/[\r\n]+/g, ' ')}"${isBuiltInId(p.id) ? ' (a built-in profile: import it under another id to customise it)' : ''}.`,
    ' Import: bulwark profile import FILE (or Profiles > Import in the app). Parameters left out take',
    ' their control\'s defaults: "bulwark profile show ID" lists them, docs/hardening.md explains them.',
  ].join('\n');
  return { text: doc.toString({ lineWidth: 0 }), fileName: profileFileName(p.id) };
}

function importError(line: number | undefined, message: string): BulwarkError {
  return new BulwarkError('IMPORT_PARSE', `Profile YAML${line ? ` line ${line}` : ''}: ${message}`);
}

/**
 * A profile from YAML, checked as profiles:save checks one (shape, then each control's
 * parameters). It is not stored here: the caller saves it (CONFLICT rules live in the store).
 */
export function profileFromYaml(text: string): Profile & { description: string } {
  if (text.length > MAX_PROFILE_YAML) throw importError(undefined, `the file is ${text.length} characters; a profile is at most ${MAX_PROFILE_YAML}`);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, strict: true });
  const first = doc.errors[0];
  if (first) throw importError(lc.linePos(first.pos[0]).line, first.message.split('\n')[0]!);
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as Node | null)?.range;
    return range ? lc.linePos(range[0]).line : undefined;
  };
  const root = doc.contents;
  if (!isMap(root)) throw importError(lineOf(root) ?? 1, `not a Bulwark profile: expected a mapping starting with "${FORMAT_KEY}: ${FORMAT_VERSION}"`);
  const marker = root.items.find((p) => isScalar(p.key) && p.key.value === FORMAT_KEY);
  if (!marker) throw importError(1, `not a Bulwark profile: "${FORMAT_KEY}: ${FORMAT_VERSION}" is missing`);
  const version = isScalar(marker.value) ? marker.value.value : undefined;
  if (version !== FORMAT_VERSION) {
    throw importError(lineOf(marker.value ?? marker.key), typeof version === 'number' && version > FORMAT_VERSION ? `format ${version} is newer than this Bulwark reads (${FORMAT_VERSION}): update Bulwark` : `"${FORMAT_KEY}" must be ${FORMAT_VERSION}`);
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw importError(undefined, `${(e as Error).message} (aliases are limited to ${MAX_ALIASES})`);
  }
  const { [FORMAT_KEY]: _marker, ...input } = js as Record<string, unknown>;

  const where = (path: ReadonlyArray<string | number>): string => {
    // the deepest node the path reaches: a missing field is reported where its parent is
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? root : doc.getIn(path.slice(0, n), true);
      const line = lineOf(node);
      if (line !== undefined) return `line ${line}`;
    }
    return 'line 1';
  };
  const invalid = (problem: ProfileProblem): BulwarkError =>
    new BulwarkError('VALIDATION', `Profile YAML ${where(problem.path)}: ${problem.message}`, { [problem.path.join('.') || '_']: problem.message });

  const r = profileInputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    throw invalid({ path, message: `${path.join('.') || 'profile'}: ${issue.message}` });
  }
  const profile = { ...r.data, controls: r.data.controls.map((c) => (c.params ? { id: c.id, params: c.params } : { id: c.id })) };
  const problem = controlProblem(profile.controls);
  if (problem) throw invalid(problem);
  return profile;
}
