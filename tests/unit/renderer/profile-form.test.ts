/**
 * The profile editor's form: prefilled from real profile views, turned into a ProfileInput that
 * main's own check (checkProfileInput) accepts, and main's real errors mapped onto the fields.
 */
import { describe, expect, it } from 'vitest';
import { profileView } from '../../../main/services/access/run-access';
import { controlCatalog } from '../../../main/services/hardening/control-catalog';
import { checkProfileInput } from '../../../main/services/hardening/profile-store';
import { BUILT_IN_PROFILES } from '../../../main/services/hardening/profiles';
import { BulwarkError } from '../../../shared/errors';
import { OTHER } from '../../../renderer/src/features/profiles/param-draft';
import {
  changedParams,
  controlErrorKey,
  copyId,
  emptyForm,
  fieldsByControl,
  firstErrorKey,
  formFromProfile,
  idProblem,
  paramErrorKey,
  serverErrors,
  toProfileInput,
  type ProfileFormValues,
} from '../../../renderer/src/features/profiles/profile-form';
import { importConflict, importTextProblem, MAX_PROFILE_YAML } from '../../../renderer/src/features/profiles/profile-import';

const catalog = controlCatalog();
const fields = fieldsByControl(catalog);
const views = BUILT_IN_PROFILES.map(profileView);
const baseline = views.find((v) => v.id === 'guide-baseline')!;

function withDraft(v: ProfileFormValues, controlId: string, key: string, patch: Partial<ProfileFormValues['drafts'][string][string]>): ProfileFormValues {
  return { ...v, drafts: { ...v.drafts, [controlId]: { ...v.drafts[controlId], [key]: { ...v.drafts[controlId]![key]!, ...patch } } } };
}

/** What main would throw for this input, or null when it stores it. */
function mainError(input: unknown): unknown {
  try {
    checkProfileInput(input);
    return null;
  } catch (e) {
    return e;
  }
}

describe('copying and editing', () => {
  it('copies a built-in profile under a fresh id, with its controls and parameters', () => {
    const v = formFromProfile(baseline, catalog, 'copy', new Set(views.map((p) => p.id)));
    expect(v.id).toBe('guide-baseline-copy');
    expect(v.name).toBe('Guide baseline (copy)');
    expect(v.chosen).toEqual(baseline.controls.map((c) => c.id));
    expect(v.drafts.fail2ban!.maxretry!.text).toBe('3');
    // an unchanged copy is a valid profile as it is
    const { input, errors } = toProfileInput(v, catalog, fields);
    expect(errors).toEqual({});
    expect(mainError(input)).toBeNull();
    // parameters equal to the defaults are left to the defaults, as the built-ins do
    expect(input.controls).toEqual(baseline.controls.map((c) => ({ id: c.id })));
  });

  it('picks the next free copy id', () => {
    expect(copyId('strict-ssh', new Set(['strict-ssh', 'strict-ssh-copy', 'strict-ssh-copy-2']))).toBe('strict-ssh-copy-3');
    expect(copyId('a'.repeat(63), new Set()).length).toBeLessThanOrEqual(63);
  });

  it('keeps the id when editing, and refuses taken ids when creating or copying', () => {
    const custom = { ...baseline, id: 'lab', builtIn: false };
    expect(formFromProfile(custom, catalog, 'edit', new Set(['lab'])).id).toBe('lab');
    const all = [...views, custom];
    expect(idProblem('lab', 'edit', all)).toBeNull();
    expect(idProblem('lab', 'create', all)).toBe('is already used by a custom profile');
    expect(idProblem(' strict-ssh ', 'copy', all)).toBe('is a built-in profile: choose another id');
    expect(idProblem('fresh', 'create', all)).toBeNull();
  });

  it('sends changed parameters only, in the catalogue order, and marks them changed', () => {
    let v = formFromProfile(baseline, catalog, 'copy', new Set());
    v = withDraft(v, 'fail2ban', 'maxretry', { text: '5' });
    v = withDraft(v, 'ufw', 'lanCidr', { text: '192.168.1.0/24' });
    v = withDraft(v, 'ufw', 'sshFrom', { pick: OTHER, text: '10.0.0.0/8' });
    v = { ...v, chosen: ['sshd-port', ...v.chosen.reverse()] };
    v = withDraft(v, 'sshd-port', 'port', { text: '2222' });
    const { input, errors } = toProfileInput(v, catalog, fields);
    expect(errors).toEqual({});
    expect(input.controls.map((c) => c.id)).toEqual(catalog.map((c) => c.id).filter((id) => v.chosen.includes(id)));
    expect(input.controls.find((c) => c.id === 'fail2ban')).toEqual({ id: 'fail2ban', params: { maxretry: 5 } });
    expect(input.controls.find((c) => c.id === 'ufw')).toEqual({ id: 'ufw', params: { sshFrom: '10.0.0.0/8', lanCidr: '192.168.1.0/24' } });
    expect(input.controls.find((c) => c.id === 'sshd-port')).toEqual({ id: 'sshd-port', params: { port: 2222 } });
    expect(mainError(input)).toBeNull();
    expect([...changedParams('fail2ban', v, fields)]).toEqual(['maxretry']);
    expect([...changedParams('ufw', v, fields)].sort()).toEqual(['lanCidr', 'sshFrom']);
    // a draft that does not parse counts as changed (it is not the default)
    expect([...changedParams('fail2ban', withDraft(v, 'fail2ban', 'bantime', { text: 'x' }), fields)]).toContain('bantime');
  });

  it('finds the obvious problems before anything is sent, each on its field', () => {
    let v = { ...emptyForm(catalog), id: 'Bad Id!', name: '  ' };
    let r = toProfileInput(v, catalog, fields);
    expect(r.errors.id).toMatch(/lower-case/);
    expect(r.errors.name).toBe('is required');
    expect(r.errors.controls).toBe('choose at least one control');
    v = { ...v, id: 'ok-id', name: 'Lab', chosen: ['fail2ban'] };
    v = withDraft(v, 'fail2ban', 'maxretry', { text: '0' });
    r = toProfileInput(v, catalog, fields);
    expect(r.errors).toEqual({ [paramErrorKey('fail2ban', 'maxretry')]: 'must be between 1 and 100' });
    // a parameter of an unticked control is not checked
    r = toProfileInput({ ...v, chosen: ['ufw'] }, catalog, fields);
    expect(r.errors).toEqual({});
  });

  it('orders errors as the form shows them, for focus', () => {
    const errors = { [paramErrorKey('fail2ban', 'bantime')]: 'x', [paramErrorKey('ufw', 'lanCidr')]: 'y', name: 'z' };
    expect(firstErrorKey(errors, catalog, fields)).toBe('name');
    delete (errors as Record<string, string>).name;
    expect(firstErrorKey(errors, catalog, fields)).toBe(paramErrorKey('ufw', 'lanCidr'));
    expect(firstErrorKey({}, catalog, fields)).toBeNull();
  });
});

describe("main's errors on the form", () => {
  it('puts a refused CIDR under its field, without repeating the control and field names', () => {
    let v = formFromProfile(baseline, catalog, 'copy', new Set());
    v = withDraft(v, 'ufw', 'lanCidr', { text: '10.0.0.1;reboot' });
    const { input, errors } = toProfileInput(v, catalog, fields);
    expect(errors).toEqual({}); // JSON Schema cannot say "CIDR": main's check finds it
    const err = mainError(input);
    expect(err).toBeInstanceOf(BulwarkError);
    const mapped = serverErrors(err, input, fields);
    expect(mapped.other).toEqual([]);
    expect(Object.keys(mapped.errors)).toEqual([paramErrorKey('ufw', 'lanCidr')]);
    expect(mapped.errors[paramErrorKey('ufw', 'lanCidr')]).toMatch(/^"10\.0\.0\.1;reboot" is not an IPv4 or IPv6 address or CIDR/);
  });

  it('maps request-check paths, run-check keys, control ids, and keeps the rest for the form', () => {
    const input = { id: 'lab', name: 'Lab', controls: [{ id: 'ufw' }, { id: 'fail2ban' }] };
    const err = new BulwarkError('BAD_REQUEST', 'bad', {
      'profile.name': 'Too big',
      'profile.controls.1.params.maxretry': 'Too small',
      'ufw.lanCidr': 'is not a CIDR',
      'controls.0.id': 'unknown control',
      'controls.7.id': 'out of range',
      'profile.surprise': 'what',
    });
    const { errors, other } = serverErrors(err, input, fields);
    expect(errors).toEqual({
      name: 'Too big',
      [paramErrorKey('fail2ban', 'maxretry')]: 'Too small',
      [paramErrorKey('ufw', 'lanCidr')]: 'is not a CIDR',
      [controlErrorKey('ufw')]: 'unknown control',
      controls: 'out of range',
    });
    expect(other).toEqual(['profile.surprise: what']);
    expect(serverErrors(new Error('x'), input, fields)).toEqual({ errors: {}, other: [] });
  });

  it('turns a CONFLICT on a built-in id into an id error', () => {
    const input = { ...toProfileInput(formFromProfile(baseline, catalog, 'copy', new Set()), catalog, fields).input, id: 'strict-ssh' };
    const { errors } = serverErrors(mainError(input), input, fields);
    expect(errors.id).toBe('is a built-in profile');
  });
});

describe('import checks', () => {
  it('refuses empty and oversized text before sending', () => {
    expect(importTextProblem(' \n ')).toBe('Paste the profile YAML or choose a file');
    expect(importTextProblem('x'.repeat(MAX_PROFILE_YAML + 1))).toMatch(/at most 262,144/);
    expect(importTextProblem('id: lab')).toBeNull();
  });

  it('offers to replace a custom profile, never a built-in one', () => {
    expect(importConflict(new BulwarkError('CONFLICT', 'A custom profile "lab" already exists (replace it, or choose another id)', { id: 'is already used by a custom profile' }))).toBe('lab');
    expect(importConflict(new BulwarkError('CONFLICT', '"strict-ssh" is a built-in profile and cannot be changed', { id: 'is a built-in profile' }))).toBeNull();
    expect(importConflict(new BulwarkError('VALIDATION', 'bad'))).toBeNull();
    expect(importConflict(new Error('x'))).toBeNull();
  });
});
