/**
 * Property-based: hostile strings against everything that can end up in a remote shell.
 * - shellQuote: whatever the string, a real sh (dash) and bash hand it back byte for byte.
 * - Every control's parameters, field by field, from the same JSON Schema the profile editor
 *   uses: a value is either refused or contains nothing a shell would read as syntax; numbers
 *   are accepted exactly when the schema's bounds allow them.
 * - The apply script: any file content (quotes, $( ), newlines, any Unicode) is written byte
 *   for byte by a real sh and restored exactly; unsafe paths and run ids are refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { applyScript, checkSpec } from '../../../main/services/hardening/apply-script';
import { controlCatalog } from '../../../main/services/hardening/control-catalog';
import { selectionsOf } from '../../../main/services/hardening/profiles';
import { shellQuote } from '../../../main/services/ssh/quote';

const SHELL_SYNTAX = [`'`, `"`, '`', '$(', '${', '$', ';', '&', '&&', '|', '||', '\n', '\r', '\\', '*', '?', '[', ']', '~', '#', '!', '<', '>', '(', ')', '{', '}', ' ', '\t', '-', '--', '=', '%', '^', '\u00a0', '\u202e', 'é'];
const SAFE_TOKEN = /^[A-Za-z0-9@.+:/_-]*$/;

/** Strings a shell would love to misread: syntax pieces mixed with ordinary text and full Unicode. */
const hostile = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...SHELL_SYNTAX), fc.string({ maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('10.0.0.0/8; rm -rf /', '192.168.1.0/24 && reboot', '$(id)', '`id`', 'anywhere\n', "10.0.0.0/8'", '-oProxyCommand=id', '::/0 ; id', '0.0.0.0/0|sh'),
);
const noNul = hostile.filter((s) => !s.includes('\0'));

function inShell(shell: 'sh' | 'bash', values: readonly string[]): string[] {
  // printf %s then a NUL: the NUL cannot be in a value, so the split is exact
  const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('\n');
  const r = spawnSync(shell, ['-c', script], { encoding: 'buffer', timeout: 20_000 });
  expect(r.status, r.stderr?.toString()).toBe(0);
  const parts = r.stdout.toString('utf8').split('\0');
  parts.pop();
  return parts;
}

describe('shellQuote against real shells', () => {
  it.each(['sh', 'bash'] as const)('%s gets every hostile string back exactly', (shell) => {
    fc.assert(
      fc.property(fc.array(noNul, { minLength: 1, maxLength: 25 }), (values) => {
        expect(inShell(shell, values)).toEqual(values.map((v) => Buffer.from(v, 'utf8').toString('utf8')));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses NUL instead of silently cutting the argument', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(() => shellQuote(`${a}\0${b}`)).toThrow(BulwarkError);
      }),
    );
  });
});

type FieldKind = { kind: 'string' } | { kind: 'strings' } | { kind: 'int'; min: number; max: number } | { kind: 'ints'; min: number; max: number } | { kind: 'other' };

function fieldKind(schema: Record<string, unknown>): FieldKind {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const anyOf = (schema.anyOf as Array<Record<string, unknown>> | undefined) ?? [];
  if (types.includes('string') || anyOf.some((s) => s.type === 'string')) return { kind: 'string' };
  if (types.includes('integer')) return { kind: 'int', min: schema.minimum as number, max: schema.maximum as number };
  if (types.includes('array')) {
    const items = schema.items as Record<string, unknown>;
    if (items.type === 'string') return { kind: 'strings' };
    if (items.type === 'integer') return { kind: 'ints', min: items.minimum as number, max: items.maximum as number };
  }
  return { kind: 'other' };
}

/** The parsed params of one control given `value` for `field`, or null when the profile is refused. */
function parsedWith(control: string, field: string, value: unknown): Record<string, unknown> | null {
  try {
    const [sel] = selectionsOf({ id: 'prop', name: 'prop', description: '', controls: [{ id: control, params: { [field]: value } }] });
    return sel!.params as Record<string, unknown>;
  } catch (e) {
    expect(e).toBeInstanceOf(BulwarkError);
    expect((e as BulwarkError).code).toBe('VALIDATION');
    return null;
  }
}

const fields = controlCatalog().flatMap((c) =>
  Object.entries((c.paramsSchema.properties as Record<string, Record<string, unknown>> | undefined) ?? {}).map(([field, schema]) => ({ control: c.id, field, type: fieldKind(schema) })),
);

describe('control parameters against hostile values', () => {
  it('covers the string and number fields of the built-in controls', () => {
    const kinds = new Set(fields.map((f) => f.type.kind));
    for (const k of ['string', 'strings', 'int', 'ints']) expect(kinds).toContain(k);
  });

  it.each(fields.filter((f) => f.type.kind === 'string' || f.type.kind === 'strings').map((f) => [`${f.control}.${f.field}`, f] as const))(
    '%s: a hostile string is refused or holds no shell syntax',
    (_name, f) => {
      const value = f.type.kind === 'strings' ? fc.array(hostile, { minLength: 1, maxLength: 4 }) : hostile;
      fc.assert(
        fc.property(value, (v) => {
          const params = parsedWith(f.control, f.field, v);
          if (params === null) return;
          for (const s of ([] as unknown[]).concat(params[f.field] ?? [])) expect(String(s)).toMatch(SAFE_TOKEN);
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(fields.filter((f) => f.type.kind === 'int' || f.type.kind === 'ints').map((f) => [`${f.control}.${f.field}`, f] as const))(
    '%s: accepted exactly when an integer within the bounds the editor shows',
    (_name, f) => {
      const t = f.type as { kind: 'int' | 'ints'; min: number; max: number };
      const one = fc.oneof(fc.integer({ min: t.min - 5, max: t.max + 5 }), fc.integer(), fc.double(), fc.constantFrom(NaN, Infinity, -0.5), hostile, fc.constant(null));
      fc.assert(
        fc.property(one, (n) => {
          const params = parsedWith(f.control, f.field, t.kind === 'ints' ? [n] : n);
          const ok = typeof n === 'number' && Number.isInteger(n) && n >= t.min && n <= t.max;
          expect(params !== null).toBe(ok);
        }),
        { numRuns: 300 },
      );
    },
  );
});

describe('apply script against hostile content and paths', () => {
  it('writes any content byte for byte through a real sh and restores the original exactly', () => {
    const content = fc.string({ unit: 'binary', maxLength: 300 });
    fc.assert(
      // several files per script: each run costs a few dozen processes
      fc.property(fc.array(fc.tuple(content, content), { minLength: 1, maxLength: 6 }), (pairs) => {
        const root = mkdtempSync(join(tmpdir(), 'bulwark-prop-'));
        try {
          const path = (i: number) => `/etc/bulwark-prop/f${i}.conf`;
          const write = (which: 0 | 1, runId: string) => {
            const files = pairs.map((p, i) => ({ path: path(i), content: p[which], mode: 0o640 }));
            const { script, restorePath } = applyScript({ runId, files, validate: [], commands: [], onRestore: [], deadmanSeconds: 0, root });
            const r = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8', timeout: 20_000 });
            expect(r.status, r.stderr).toBe(0);
            return restorePath;
          };
          write(0, 'prop-run-1');
          const restore = write(1, 'prop-run-2');
          pairs.forEach((p, i) => expect(readFileSync(join(root, path(i)), 'utf8')).toBe(p[1]));
          expect(spawnSync('sh', [restore]).status).toBe(0);
          pairs.forEach((p, i) => expect(readFileSync(join(root, path(i)), 'utf8')).toBe(p[0]));
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  const spec = (over: { path?: string; runId?: string; owner?: string }) => ({
    runId: over.runId ?? 'prop-run-0',
    files: [{ path: over.path ?? '/etc/x.conf', content: 'x', ...(over.owner !== undefined ? { owner: over.owner } : {}) }],
    validate: [],
    commands: [],
    onRestore: [],
    deadmanSeconds: 0,
  });

  it('refuses a hostile path, run id or owner before writing any script', () => {
    const refusedOrSafe = (over: { path?: string; runId?: string; owner?: string }, safe: (s: string) => boolean, value: string) => {
      try {
        checkSpec(spec(over));
        expect(safe(value)).toBe(true);
      } catch (e) {
        expect((e as BulwarkError).code).toBe('VALIDATION');
      }
    };
    fc.assert(
      fc.property(hostile, (s) => {
        refusedOrSafe({ path: `/etc/${s}` }, (v) => /^[A-Za-z0-9._@+/-]+$/.test(v) && !v.split('/').includes('..'), `/etc/${s}`);
        refusedOrSafe({ runId: s }, (v) => /^[a-z0-9-]+$/.test(v), s);
        refusedOrSafe({ owner: s }, (v) => /^[a-z_][a-z0-9_-]*$/.test(v), s);
      }),
      { numRuns: 500 },
    );
  });
});
