/**
 * The editor's control catalogue: one entry per control, parameters as JSON Schema made from
 * the same zod schema a save is checked with, and defaults that schema accepts. The schema and
 * the check agree on the edges (range ends, enums, unknown keys).
 */
import { describe, expect, it } from 'vitest';
import { controlCatalogEntrySchema } from '../../../shared/domain/hardening';
import { controlCatalog } from '../../../main/services/hardening/control-catalog';
import { CONTROLS } from '../../../main/services/hardening/controls';
import { controlProblem } from '../../../main/services/hardening/profile-store';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; additionalProperties?: boolean; minimum?: number; maximum?: number; enum?: unknown[]; default?: unknown; items?: Schema };

describe('control catalogue', () => {
  const catalog = controlCatalog();
  const entry = (id: string) => catalog.find((c) => c.id === id)!;
  const props = (id: string) => (entry(id).paramsSchema as Schema).properties!;

  it('has every control, each entry as the contract says, objects closed to unknown keys', () => {
    expect(catalog.map((c) => c.id)).toEqual([...CONTROLS.keys()]);
    for (const c of catalog) {
      expect(controlCatalogEntrySchema.parse(c)).toEqual(c);
      const s = c.paramsSchema as Schema;
      expect(s.type).toBe('object');
      expect(s.additionalProperties).toBe(false);
      // the defaults are what the control runs with when a profile gives no parameters
      expect(CONTROLS.get(c.id)!.params.parse({})).toEqual(c.defaults);
      expect(controlProblem([{ id: c.id, params: c.defaults }])).toBeUndefined();
      expect(c.reason.length).toBeGreaterThan(10);
    }
    expect(entry('exposure').kind).toBe('check');
    expect(entry('ufw').kind).toBe('change');
  });

  it('carries ranges, enums and defaults from the zod schemas', () => {
    expect(props('fail2ban').maxretry).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 3 });
    expect(props('sshd-port').port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(entry('sshd-port').defaults).toEqual({});
    expect(props('sshd-auth').permitRootLogin).toMatchObject({ enum: ['no', 'prohibit-password'], default: 'no' });
    expect(props('exposure').allowedPorts!.items).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(entry('fail2ban').defaults).toEqual({ maxretry: 3, bantime: 3600, findtime: 600 });
    expect(entry('ufw').defaults).toEqual({ sshFrom: 'anywhere', lanCidr: null });
  });

  it('agrees with the check at the edges of each range', () => {
    for (const [id, field] of [['fail2ban', 'maxretry'], ['fail2ban', 'bantime'], ['sshd-port', 'port'], ['sshd-strict', 'maxAuthTries']] as const) {
      const p = props(id)[field]!;
      const ok = (n: number) => controlProblem([{ id, params: { [field]: n } }]) === undefined;
      expect([ok(p.minimum!), ok(p.maximum!), ok(p.minimum! - 1), ok(p.maximum! + 1)]).toEqual([true, true, false, false]);
    }
  });
});
