/**
 * The profile editor's parameter fields, read from the real control catalogue (the JSON Schema
 * main sends), and the draft checks measured against the controls' own zod schemas.
 */
import { describe, expect, it } from 'vitest';
import { controlCatalog } from '../../../main/services/hardening/control-catalog';
import { CONTROLS } from '../../../main/services/hardening/controls';
import { draftOf, formatValue, NONE, OTHER, readDraft, sameValue, splitList, type Draft } from '../../../renderer/src/features/profiles/param-draft';
import { humanize, paramLabel } from '../../../renderer/src/features/profiles/param-labels';
import { paramFields, type ParamField } from '../../../renderer/src/features/profiles/param-schema';

const catalog = controlCatalog();
function field(controlId: string, key: string): ParamField {
  const entry = catalog.find((c) => c.id === controlId)!;
  const f = paramFields(entry.paramsSchema, entry.defaults).find((x) => x.key === key);
  if (!f) throw new Error(`no field ${controlId}.${key}`);
  return f;
}
const text = (t: string): Draft => ({ text: t, flag: false, pick: NONE, picks: [] });

describe('fields from the catalogue JSON Schema', () => {
  it('reads integers with their range and default', () => {
    expect(field('fail2ban', 'maxretry')).toEqual({ key: 'maxretry', spec: { kind: 'integer', min: 1, max: 100 }, nullable: false, optional: false, default: 3 });
  });

  it('reads enums, booleans, a nullable string and an optional integer', () => {
    expect(field('sshd-auth', 'permitRootLogin').spec).toEqual({ kind: 'enum', options: ['no', 'prohibit-password'] });
    expect(field('sshd-strict', 'removeSmallModuli').spec).toEqual({ kind: 'boolean' });
    expect(field('ufw', 'lanCidr')).toMatchObject({ spec: { kind: 'string' }, nullable: true, optional: false, default: null });
    const port = field('sshd-port', 'port');
    expect(port).toMatchObject({ spec: { kind: 'integer', min: 1, max: 65535 }, optional: true, nullable: false });
    expect('default' in port).toBe(false);
  });

  it("reads 'anywhere' | CIDR as a choice with free text", () => {
    expect(field('ufw', 'sshFrom').spec).toEqual({ kind: 'choice', literals: ['anywhere'], other: { kind: 'string' } });
  });

  it('reads arrays of numbers, of patterned strings and of enum options', () => {
    expect(field('exposure', 'allowedPorts').spec).toEqual({ kind: 'list', item: { kind: 'integer', min: 1, max: 65535 }, maxItems: 100 });
    expect(field('sshd-strict', 'kex').spec).toMatchObject({ kind: 'list', item: { kind: 'string', pattern: '^[a-z0-9][a-z0-9@.+-]{0,99}$' }, minItems: 1, maxItems: 30 });
    expect(field('sshd-strict', 'hostKeys').spec).toEqual({ kind: 'list', item: { kind: 'enum', options: ['ed25519', 'rsa', 'ecdsa'] }, minItems: 1 });
  });

  it('falls back to raw JSON for shapes it does not know, and reads anyOf with null as nullable', () => {
    const [obj, num] = paramFields({
      type: 'object',
      properties: { nested: { type: 'object', properties: {} }, limit: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'null' }] } },
      required: ['nested'],
    });
    expect(obj).toEqual({ key: 'nested', spec: { kind: 'json' }, nullable: false, optional: false });
    expect(num).toEqual({ key: 'limit', spec: { kind: 'number', exclusiveMin: 0 }, nullable: true, optional: true });
  });
});

describe('drafts', () => {
  it("every control's defaults survive draft and back unchanged", () => {
    for (const entry of catalog) {
      for (const f of paramFields(entry.paramsSchema, entry.defaults)) {
        const r = readDraft(f, draftOf(f, entry.defaults[f.key]));
        expect(r.ok, `${entry.id}.${f.key}`).toBe(true);
        if (r.ok && r.present) expect(r.value, `${entry.id}.${f.key}`).toEqual(entry.defaults[f.key]);
        else expect(f.key in entry.defaults, `${entry.id}.${f.key}`).toBe(false);
      }
    }
  });

  it('says what is wrong with a number, in the words of the other forms', () => {
    const maxretry = field('fail2ban', 'maxretry');
    expect(readDraft(maxretry, text('0'))).toEqual({ ok: false, error: 'must be between 1 and 100' });
    expect(readDraft(maxretry, text('3.5'))).toEqual({ ok: false, error: 'must be a whole number' });
    expect(readDraft(maxretry, text('5; reboot'))).toEqual({ ok: false, error: 'must be a whole number' });
    expect(readDraft(maxretry, text(''))).toEqual({ ok: false, error: 'is required' });
    expect(readDraft(maxretry, text(' 7 '))).toEqual({ ok: true, present: true, value: 7 });
  });

  it('accepts exactly the integers the control schema accepts', () => {
    const schema = CONTROLS.get('fail2ban')!.params;
    const maxretry = field('fail2ban', 'maxretry');
    for (const t of ['-1', '0', '1', '+2', '50', '100', '101', '1e2', '0x10', '007', '99999999999999999999']) {
      const mine = readDraft(maxretry, text(t));
      const theirs = schema.safeParse({ maxretry: Number(t) });
      const asInteger = /^[+-]?[0-9]+$/.test(t);
      expect(mine.ok, t).toBe(asInteger && theirs.success);
    }
  });

  it('leaves an optional field out and turns an empty nullable field into null', () => {
    expect(readDraft(field('sshd-port', 'port'), text(''))).toEqual({ ok: true, present: false });
    expect(readDraft(field('sshd-port', 'port'), text('2222'))).toEqual({ ok: true, present: true, value: 2222 });
    expect(readDraft(field('ufw', 'lanCidr'), text('  '))).toEqual({ ok: true, present: true, value: null });
    expect(readDraft(field('ufw', 'lanCidr'), text(' 192.168.1.0/24 '))).toEqual({ ok: true, present: true, value: '192.168.1.0/24' });
  });

  it('checks each list item and names the one that is wrong', () => {
    const ports = field('exposure', 'allowedPorts');
    expect(readDraft(ports, text('80, 443 8006'))).toEqual({ ok: true, present: true, value: [80, 443, 8006] });
    expect(readDraft(ports, text('80, 44x3'))).toEqual({ ok: false, error: 'item 2 ("44x3") must be a whole number' });
    expect(readDraft(ports, text('80, 70000'))).toEqual({ ok: false, error: 'item 2 ("70000") must be between 1 and 65535' });
    expect(readDraft(ports, text('80,80'))).toEqual({ ok: false, error: 'lists 80 twice' });
    expect(readDraft(ports, text(''))).toEqual({ ok: true, present: true, value: [] });
    const kex = field('sshd-strict', 'kex');
    expect(readDraft(kex, text('curve25519-sha256, $(reboot)'))).toEqual({ ok: false, error: 'item 2 ("$(reboot)") "$(reboot)" is not in the expected form' });
    expect(readDraft(kex, text(''))).toEqual({ ok: false, error: 'is required' });
    const hostKeys = field('sshd-strict', 'hostKeys');
    expect(readDraft(hostKeys, { ...text(''), picks: [] })).toEqual({ ok: false, error: 'choose at least one' });
    expect(readDraft(hostKeys, { ...text(''), picks: ['ed25519'] })).toEqual({ ok: true, present: true, value: ['ed25519'] });
  });

  it('reads a choice as its literal or its free text', () => {
    const sshFrom = field('ufw', 'sshFrom');
    expect(draftOf(sshFrom, 'anywhere').pick).toBe('anywhere');
    expect(draftOf(sshFrom, '10.0.0.0/8')).toMatchObject({ pick: OTHER, text: '10.0.0.0/8' });
    expect(readDraft(sshFrom, { ...text(' 10.0.0.0/8 '), pick: OTHER })).toEqual({ ok: true, present: true, value: '10.0.0.0/8' });
    expect(readDraft(sshFrom, { ...text(''), pick: OTHER })).toEqual({ ok: false, error: 'is required' });
    expect(readDraft(sshFrom, { ...text('ignored'), pick: 'anywhere' })).toEqual({ ok: true, present: true, value: 'anywhere' });
  });

  it('reads raw JSON and says when it is not', () => {
    const [f] = paramFields({ type: 'object', properties: { nested: { type: 'object' } }, required: ['nested'] });
    expect(readDraft(f!, text('{"a":1}'))).toEqual({ ok: true, present: true, value: { a: 1 } });
    const bad = readDraft(f!, text('{a:1}'));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^is not valid JSON/);
  });
});

describe('display', () => {
  it('formats values as people read them', () => {
    expect(formatValue(null)).toBe('none');
    expect(formatValue(undefined)).toBe('not set');
    expect(formatValue(true)).toBe('yes');
    expect(formatValue([])).toBe('none');
    expect(formatValue([80, 443])).toBe('80, 443');
    expect(formatValue('no')).toBe('no');
  });

  it('compares values structurally and splits lists at commas and spaces', () => {
    expect(sameValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameValue({ a: [1] }, { a: [1] })).toBe(true);
    expect(sameValue(null, undefined)).toBe(false);
    expect(splitList(' a, b  c,,d ')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('labels known parameters by their directive and others from their key', () => {
    expect(paramLabel('maxretry')).toBe('Max retries');
    expect(paramLabel('someNewThing')).toBe('Some new thing');
    expect(humanize('snake_case-key')).toBe('Snake case key');
  });
});
