import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_CODES } from '../../../shared/errors';
import { ExitCode, exitCodeFor } from '../../../main/cli/exit-codes';
import { formatTable, Output, printable } from '../../../main/cli/output';
import { Interrupted, promptHidden, readSecret } from '../../../main/cli/passphrase';
import { selectHosts } from '../../../main/cli/select';
import { CliError } from '../../../main/cli/errors';
import { kdfFromEnv, TEST_KDF } from '../../../main/cli/services';
import { auditMatrix, auditTable } from '../../../main/cli/audit-matrix';
import { readOneLine } from '../../../main/cli/stdin-line';
import type { Host } from '../../../shared/domain/host';
import { sink } from './harness';

describe('exit codes', () => {
  it('are stable (a public interface: never renumber)', () => {
    expect(ExitCode).toEqual({
      OK: 0,
      FAILURE: 1,
      USAGE: 2,
      AUTH: 3,
      VAULT_STATE: 4,
      VALIDATION: 5,
      VAULT_DAMAGED: 6,
      VAULT_TOO_NEW: 7,
      NOT_FOUND: 8,
      CONFLICT: 9,
      HOST_KEY: 10,
      UNREACHABLE: 11,
      REMOTE_AUTH: 12,
      HOSTS_FAILED: 13,
      DRIFT: 14,
      COMMAND_TIMEOUT: 124,
      INTERRUPTED: 130,
      NO_EXIT_STATUS: 255,
    });
  });

  it('map every service error code', () => {
    const table = Object.fromEntries(ERROR_CODES.map((c) => [c, exitCodeFor(c)]));
    expect(table).toMatchObject({
      WRONG_PASSPHRASE: 3,
      WRONG_RECOVERY_KEY: 3,
      VAULT_ABSENT: 4,
      VAULT_LOCKED: 4,
      VAULT_EXISTS: 4,
      VALIDATION: 5,
      WEAK_PASSPHRASE: 5,
      IMPORT_PARSE: 5,
      EXPORT_INVALID: 5,
      VAULT_TAMPERED: 6,
      VAULT_TRUNCATED: 6,
      NOT_A_VAULT: 6,
      VAULT_TOO_NEW: 7,
      NOT_FOUND: 8,
      CONFLICT: 9,
      BAD_REQUEST: 2,
      IO: 1,
      INTERNAL: 1,
      UNKNOWN_HOST_KEY: 10,
      HOST_KEY_CHANGED: 10,
      SSH_UNREACHABLE: 11,
      SSH_CONNECTION_LOST: 11,
      TIMEOUT: 11,
      SSH_AUTH_FAILED: 12,
      KEY_WRONG_PASSPHRASE: 3,
    });
    for (const c of ERROR_CODES) expect(Object.values(ExitCode)).toContain(exitCodeFor(c));
  });
});

describe('output', () => {
  it('aligns columns by code points and does not pad the last one', () => {
    expect(formatTable(['A', 'BB'], [['café', 'x'], ['a', 'long value']])).toBe('A     BB\ncafé  x\na     long value\n');
  });

  it('neutralises terminal control characters', () => {
    expect(printable('ok\u001b[31mred\u0007\ttab\nnl')).toBe('ok?[31mred?\ttab\nnl');
  });

  it('keeps stdout pure JSON in --json mode', () => {
    const out = sink();
    const err = sink();
    const o = new Output(out, err, true);
    o.text('human');
    o.note('notice');
    o.result({ a: 1 }, () => 'human');
    expect(JSON.parse(out.text())).toEqual({ a: 1 });
    expect(err.text()).toBe('notice\n');
  });
});

function tty(): PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode: (b: boolean) => void } {
  const s = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode: vi.fn() });
  s.setRawMode.mockImplementation((b: boolean) => {
    s.isRaw = b;
  });
  return s;
}

describe('promptHidden', () => {
  it('reads a line in raw mode without echo, with backspace, Ctrl-U and arrow keys ignored', async () => {
    const input = tty();
    const out = sink();
    const p = promptHidden(input, out, 'Passphrase: ');
    input.write('wrong\u0015se');
    input.write('cx\u007fret\u001b[D\u001b[A!\r');
    await expect(p).resolves.toBe('secret!');
    expect(out.text()).toBe('Passphrase: \n'); // nothing echoed
    expect(input.setRawMode).toHaveBeenNthCalledWith(1, true);
    expect(input.setRawMode).toHaveBeenLastCalledWith(false);
    expect(input.isRaw).toBe(false);
    expect(input.listenerCount('data')).toBe(0);
  });

  it('turns Ctrl-C into Interrupted (exit 130)', async () => {
    const input = tty();
    const p = promptHidden(input, sink(), 'x: ');
    input.write('abc\u0003');
    await expect(p).rejects.toBeInstanceOf(Interrupted);
    await expect(p).rejects.toMatchObject({ exitCode: 130 });
  });

  it('accepts Ctrl-D after text and refuses it on an empty line', async () => {
    const a = tty();
    const pa = promptHidden(a, sink(), 'x: ');
    a.write('abc\u0004');
    await expect(pa).resolves.toBe('abc');
    const b = tty();
    const pb = promptHidden(b, sink(), 'x: ');
    b.write('\u0004');
    await expect(pb).rejects.toMatchObject({ exitCode: ExitCode.USAGE });
  });
});

describe('readSecret', () => {
  const io = (env: Record<string, string>, isTTY: boolean) => ({
    stdout: sink(),
    stderr: sink(),
    env,
    stdin: Object.assign(new PassThrough(), { isTTY }),
  });
  const spec = { what: 'passphrase', fileOption: '--passphrase-file', envVar: 'P', prompt: 'Passphrase' };

  it('prefers the environment over a prompt', async () => {
    const prompt = vi.fn();
    await expect(readSecret({ io: io({ P: 'from env' }, true), prompt, warn: () => {} }, spec)).resolves.toBe('from env');
    expect(prompt).not.toHaveBeenCalled();
  });

  it('refuses an empty prompt answer', async () => {
    const r = readSecret({ io: io({}, true), prompt: async () => '', warn: () => {} }, spec);
    await expect(r).rejects.toBeInstanceOf(CliError);
  });
});

describe('selectHosts', () => {
  const hosts = [
    { id: '1', name: 'a', tags: ['web'] },
    { id: '2', name: 'b', tags: [] },
    { id: '3', name: 'c', tags: ['web'] },
  ] as unknown as Host[];
  const store = {
    select: vi.fn((s: { names?: string[]; tag?: string }) =>
      hosts.filter((h) => s.names?.includes(h.name) || (s.tag !== undefined && h.tags.includes(s.tag))),
    ),
  };

  it('splits the comma list, trims, dedupes and passes the tag on', () => {
    expect(selectHosts(store, { hosts: ' a, b,,a ', tag: 'web' }).map((h) => h.name)).toEqual(['a', 'b', 'c']);
    expect(store.select).toHaveBeenLastCalledWith({ names: ['a', 'b'], tag: 'web' });
    selectHosts(store, { hosts: 'b' });
    expect(store.select).toHaveBeenLastCalledWith({ names: ['b'] });
  });

  it('refuses an empty selection as a usage error', () => {
    expect(() => selectHosts(store, {})).toThrow(CliError);
    expect(() => selectHosts(store, { hosts: ' , ', tag: ' ' })).toThrow(/--hosts/);
  });
});

describe('BULWARK_TEST_KDF', () => {
  it('is honoured only inside a test run', () => {
    expect(kdfFromEnv({})).toBeUndefined();
    expect(kdfFromEnv({ BULWARK_TEST_KDF: 'fast', NODE_ENV: 'test' })).toEqual(TEST_KDF);
    expect(kdfFromEnv({ BULWARK_TEST_KDF: 'fast', VITEST: 'true' })).toEqual(TEST_KDF);
    expect(() => kdfFromEnv({ BULWARK_TEST_KDF: 'fast' })).toThrow(/automated tests only/);
    expect(() => kdfFromEnv({ BULWARK_TEST_KDF: 'slow', NODE_ENV: 'test' })).toThrow(/must be "fast"/);
  });
});

describe('auditMatrix', () => {
  const row = (host: string, account: string, fingerprint: string, name: string | null, comment = '') => ({
    host,
    account,
    fingerprint,
    type: 'ssh-ed25519',
    comment,
    options: '',
    knownKeyId: name && `id-${name}`,
    knownKeyName: name,
  });

  it('folds rows into one per key: vault keys by name first, then unknown ones by fingerprint', () => {
    const m = auditMatrix([
      row('web2', 'root', 'SHA256:zz', null, 'x@y'),
      row('web1', 'root', 'SHA256:bb', 'deploy'),
      row('web1', 'admin', 'SHA256:bb', 'deploy'),
      row('web0', 'root', 'SHA256:aa', null),
      row('web0', 'root', 'SHA256:cc', 'backup'),
      row('web0', 'root', 'SHA256:bb', 'deploy'),
    ]);
    expect(m.map((r) => [r.key, r.fingerprint])).toEqual([
      ['backup', 'SHA256:cc'],
      ['deploy', 'SHA256:bb'],
      [null, 'SHA256:aa'],
      [null, 'SHA256:zz'],
    ]);
    expect(m[1]!.on.map((p) => `${p.host}/${p.account}`)).toEqual(['web0/root', 'web1/admin', 'web1/root']);
    const table = auditTable(m).split('\n');
    expect(table[2]).toMatch(/^deploy +SHA256:bb +- +2 +web0 \(root\), web1 \(admin, root\)$/);
    expect(table[4]).toMatch(/^UNKNOWN +SHA256:zz +x@y +1 +web2 \(root\)$/);
    expect(auditTable([])).toMatch(/^No keys/);
  });
});

describe('readOneLine', () => {
  const from = (...chunks: string[]) => PassThrough.from(chunks.map((c) => Buffer.from(c)));

  it('takes one line, with or without its line ending, across chunks', async () => {
    expect(await readOneLine(from('pass', 'word\n'), 'secret')).toBe('password');
    expect(await readOneLine(from('pw\r\n'), 'secret')).toBe('pw');
    expect(await readOneLine(from('pw\r'), 'secret')).toBe('pw');
    expect(await readOneLine(from('\uFEFFpw\n\n'), 'secret')).toBe('pw');
  });

  it('refuses nothing, several lines, and a flood', async () => {
    await expect(readOneLine(from(''), 'secret')).rejects.toMatchObject({ exitCode: ExitCode.USAGE });
    await expect(readOneLine(from('a\nb'), 'secret')).rejects.toMatchObject({ exitCode: ExitCode.VALIDATION });
    await expect(readOneLine(from('x'.repeat(70_000)), 'secret')).rejects.toMatchObject({ exitCode: ExitCode.USAGE, message: /too large/ });
  });
});
