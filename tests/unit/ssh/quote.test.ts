import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { shellJoin, shellQuote } from '../../../main/services/ssh';

/** What a real shell makes of each quoted value (one shell process for all of them). */
function throughShell(shell: string, values: readonly string[]): string[] {
  const script = `printf '%s\\0' ${values.map(shellQuote).join(' ')}`;
  const out = execFileSync(shell, ['-c', script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' } });
  return out.split('\0').slice(0, -1);
}

const NASTY = [
  '',
  ' ',
  "'",
  "''",
  "a'b",
  `'\\''`,
  '"',
  '"$HOME"',
  '$HOME',
  '${HOME}',
  '$(id)',
  '`id`',
  '\\',
  '\\n',
  'line1\nline2',
  '\ttab',
  'a b  c',
  '*',
  '?',
  '[a-z]',
  '~',
  '~root',
  '!',
  '!!',
  '-n',
  '--',
  '; rm -rf /nonexistent',
  '&& echo pwned',
  '| cat',
  '> /tmp/x',
  '#comment',
  '%s%n',
  'héllo wörld ✓ 𝄞',
  '\u0007bell\u001b[31mred',
  "it's a \"test\" with $vars and `cmds` and \\ slashes",
];

describe('shellQuote', () => {
  it.each(['/bin/sh', '/bin/bash'])('every nasty value survives %s unchanged', (shell) => {
    const out = throughShell(shell, NASTY);
    expect(out).toHaveLength(NASTY.length);
    NASTY.forEach((s, i) => expect(out[i], JSON.stringify(s)).toBe(s));
  });

  it('nests: a quoted command inside sh -c inside another quote', () => {
    const inner = `printf %s ${shellQuote("it's $(nasty)")}`;
    const outer = `sh -c ${shellQuote(inner)}`;
    expect(execFileSync('/bin/sh', ['-c', outer], { encoding: 'utf8' })).toBe("it's $(nasty)");
  });

  it('always single-quotes and escapes embedded quotes', () => {
    expect(shellQuote('abc')).toBe("'abc'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });

  it('refuses NUL, which a command line cannot carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(BulwarkError);
  });

  it('shellJoin quotes each argument', () => {
    const args = ['printf', '%s|', 'a b', "c'd", '$e'];
    expect(execFileSync('/bin/sh', ['-c', shellJoin(args)], { encoding: 'utf8' })).toBe("a b|c'd|$e|");
  });
});
