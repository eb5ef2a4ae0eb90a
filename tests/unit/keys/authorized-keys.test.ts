import { describe, expect, it } from 'vitest';
import {
  addKey,
  findKey,
  formatOption,
  parseAuthorizedKeys,
  parseOptions,
  parsePublicKeyLine,
  removeKey,
} from '../../../main/services/keys';
import { EXPECTED, HAVE_SSH_KEYGEN, expectCode, fixture, keygenFingerprints } from './helpers';

const NASTY = fixture('authorized_keys.nasty');
const LINES = NASTY.slice(0, -1).split('\n');
const pub = (name: string) => EXPECTED[name]!.publicKey;
const blob = (name: string) => pub(name).split(' ')[1]!;
const fp = (name: string) => parsePublicKeyLine(pub(name)).fingerprint;
const ED = 'openssh-ed25519';
const ED2 = 'openssh-ed25519-enc';
const EC384 = 'openssh-ecdsa-384-enc'; // line 8, with options and no comment
const ABSENT = 'pkcs8-rsa-3072';

const join = (entries: { raw: string; eol: string }[]) => entries.map((e) => e.raw + e.eol).join('');
const crlf = (t: string) => t.replace(/\n/g, '\r\n');

/** A small deterministic PRNG (mulberry32) so the fuzz cases are reproducible. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseAuthorizedKeys', () => {
  it.each([
    ['the nasty fixture', NASTY],
    ['it with CRLF', crlf(NASTY)],
    ['it without a final newline', NASTY.slice(0, -1)],
    ['mixed line endings', 'a\r\nb\nc\r\n\r\n\nd'],
    ['an empty file', ''],
    ['one newline', '\n'],
    ['a lone CR inside a line', `ssh-ed25519 ${blob(ED)} a\rb\n`],
  ])('gives back %s byte for byte', (_what, text) => {
    expect(join(parseAuthorizedKeys(text))).toBe(text);
  });

  it('classifies every line of the fixture', () => {
    const entries = parseAuthorizedKeys(NASTY);
    expect(entries.map((e) => `${e.line}:${e.kind}`)).toEqual(
      [
        'comment', 'comment', 'key', 'key', 'key', 'key', 'key', 'key', 'key', 'key',
        'invalid', 'invalid', 'invalid', 'invalid', 'key', 'comment', 'key', 'blank', 'blank', 'comment', 'key',
      ].map((k, i) => `${i + 1}:${k}`),
    );
    expect(entries.every((e) => e.eol === '\n')).toBe(true);
    expect(entries[10]!.problem).toBe('a quote in the options is never closed');
    expect(entries[11]!.problem).toBe('not a key line (no key type such as ssh-ed25519 found)');
    expect(entries[12]!.problem).toBe('the ssh-ed25519 key is not valid base64 or does not match its type');
    expect(entries[13]!.problem).toBe('the ssh-rsa key is not valid base64 or does not match its type');
    expect(entries.filter((e) => e.kind !== 'key').every((e) => e.fingerprint === null && e.type === null)).toBe(true);
  });

  it('treats stray CRs at the end of a line as whitespace, as sshd does', () => {
    for (const text of [`ssh-ed25519 ${blob(ED)}\r`, `ssh-ed25519 ${blob(ED)}\r\r\n`, `ssh-ed25519 ${blob(ED)} c\r\r\n`]) {
      const [e] = parseAuthorizedKeys(text);
      expect(e).toMatchObject({ kind: 'key', fingerprint: fp(ED) });
      expect(e!.comment).not.toMatch(/\r/);
      expect(join(parseAuthorizedKeys(text))).toBe(text);
    }
  });

  it('reads key lines: type, base64, comment, fingerprint', () => {
    const [, , plain, indented, tabbed] = parseAuthorizedKeys(NASTY);
    expect(plain).toMatchObject({ type: 'ssh-ed25519', keyBase64: blob(ED), comment: 'plain key', fingerprint: fp(ED), optionsText: '', options: [] });
    expect(indented).toMatchObject({ keyBase64: blob(ED2), comment: 'indented with   extra   spaces  ', fingerprint: fp(ED2) });
    expect(tabbed).toMatchObject({ type: 'ssh-rsa', comment: 'tab-indented' });
    const last = parseAuthorizedKeys(NASTY).at(-1)!;
    expect(last).toMatchObject({ comment: '', fingerprint: fp(ED2) });
  });

  it('parses options with quoted commas, spaces and escaped quotes', () => {
    const e = parseAuthorizedKeys(NASTY);
    expect(e[5]!.options).toEqual([
      { name: 'from', value: '10.0.0.0/8,192.168.1.*' },
      { name: 'no-pty', value: null },
      { name: 'no-agent-forwarding', value: null },
    ]);
    expect(e[6]!.options).toEqual([
      { name: 'command', value: `echo "hello, world" && logger 'x y'` },
      { name: 'no-port-forwarding', value: null },
    ]);
    expect(e[6]!.comment).toBe('escaped quotes, commas and spaces');
    expect(e[7]!.options!.map((o) => o.value)).toEqual([null, null, 'A=b c', 'host:22', '20300101']);
    expect(e[7]!.comment).toBe('');
    expect(e[8]!.options).toEqual([
      { name: 'NO-PTY', value: null },
      { name: 'From', value: '1.2.3.4' },
    ]);
    // a key line sshd would refuse for its options: still a key (matching, removal), flagged
    expect(e[9]).toMatchObject({ kind: 'key', options: null, optionsText: 'no-pty,badoption,command=noquotes' });
    expect(e[9]!.problem).toMatch(/sshd will refuse this line: the value of command must be in double quotes/);
  });

  it.skipIf(!HAVE_SSH_KEYGEN)('finds the same keys, in the same order, as ssh-keygen -lf', () => {
    const keyLines = (text: string) => parseAuthorizedKeys(text).filter((e) => e.kind === 'key');
    for (const text of [NASTY, NASTY.slice(0, -1)]) {
      const entries = keyLines(text);
      const theirs = keygenFingerprints(text);
      expect(theirs).toHaveLength(entries.length);
      entries.forEach((e, i) => {
        const info = parsePublicKeyLine(`${e.type} ${e.keyBase64}`);
        const label = { 'ssh-ed25519': 'ED25519', 'ssh-rsa': 'RSA', 'ssh-dss': 'DSA' }[e.type!] ?? 'ECDSA';
        // for a line without a comment ssh-keygen prints the options, or a stale comment
        if (e.comment) expect(theirs[i]).toBe(`${info.bits} ${e.fingerprint} ${e.comment} (${label})`);
        else expect(theirs[i]).toMatch(new RegExp(`^${info.bits} ${e.fingerprint!.replace(/[+/]/g, '\\$&')} .* \\(${label}\\)$`));
      });
    }
    // with CRLF, ssh-keygen keeps the CR in the comment (and prints oddities for a line
    // without one); the keys it finds are the same
    const fingerprints = (lines: string[]) => lines.map((l) => l.split(' ')[1]);
    expect(keyLines(crlf(NASTY)).map((e) => e.fingerprint)).toEqual(fingerprints(keygenFingerprints(crlf(NASTY))));
  });

  it('formats and reads back option values with quotes, commas and spaces', () => {
    const options = [
      { name: 'command', value: 'echo "a, b" \\ done' },
      { name: 'no-pty', value: null },
      { name: 'from', value: '10.0.0.0/8,!10.0.0.1' },
    ];
    const text = options.map(formatOption).join(',');
    expect(text).toBe('command="echo \\"a, b\\" \\ done",no-pty,from="10.0.0.0/8,!10.0.0.1"');
    expect(parseOptions(text)).toEqual({ ok: true, options });
    expect(() => formatOption({ name: 'command', value: 'a\nb' })).toThrow(/one line/);
    expect(() => formatOption({ name: 'command', value: 'ends with \\' })).toThrow(/backslash/);
    expect(() => formatOption({ name: 'bad name', value: null })).toThrow(/option name/);
    const line = `${text} ${pub(ED)}`;
    expect(parseAuthorizedKeys(line)[0]).toMatchObject({ kind: 'key', options, comment: 'fixture@bulwark-test' });
  });
});

describe('addKey', () => {
  it('appends a new key after everything else, which stays byte for byte', () => {
    const r = addKey(NASTY, pub(ABSENT));
    expect(r).toEqual({ text: `${NASTY}${pub(ABSENT)}\n`, changed: true });
  });

  it('is idempotent, matching by key blob whatever the options or comment', () => {
    expect(addKey(NASTY, pub(ED))).toEqual({ text: NASTY, changed: false });
    expect(addKey(NASTY, `from="192.0.2.1",no-pty ssh-ed25519 ${blob(ED2)} a different comment`)).toEqual({ text: NASTY, changed: false });
    expect(addKey(NASTY, `ecdsa-sha2-nistp384 ${blob(EC384)}`).changed).toBe(false);
    const once = addKey(NASTY, pub(ABSENT)).text;
    expect(addKey(once, pub(ABSENT))).toEqual({ text: once, changed: false });
  });

  it('does not count a commented-out copy, or the blob on a line sshd would not read', () => {
    const t = `#${pub(ABSENT)}\nssh-ed25519 ${blob(ABSENT)} wrong type in front\n`;
    expect(addKey(t, pub(ABSENT))).toEqual({ text: `${t}${pub(ABSENT)}\n`, changed: true });
  });

  it('adds the missing final newline first, and keeps CRLF lines as they are', () => {
    const noNl = NASTY.slice(0, -1);
    expect(addKey(noNl, pub(ABSENT)).text).toBe(`${noNl}\n${pub(ABSENT)}\n`);
    const c = crlf(NASTY);
    expect(addKey(c, pub(ABSENT)).text).toBe(`${c}${pub(ABSENT)}\n`);
    expect(addKey(c.slice(0, -2), pub(ABSENT)).text).toBe(`${c.slice(0, -2)}\n${pub(ABSENT)}\n`);
    expect(addKey('', pub(ABSENT)).text).toBe(`${pub(ABSENT)}\n`);
    expect(addKey('# only a comment', pub(ABSENT)).text).toBe(`# only a comment\n${pub(ABSENT)}\n`);
  });

  it('takes option-carrying lines and trims surrounding whitespace', () => {
    const line = `restrict,command="uptime" ${pub(ABSENT)}`;
    expect(addKey('', `  ${line}\n`).text).toBe(`${line}\n`);
  });

  it.each([
    ['garbage', 'not a key'],
    ['two lines', `${pub(ABSENT)}\n${pub(ED)}`],
    ['an unterminated quote', `command="x ${pub(ABSENT)}`],
    ['options sshd refuses', `command=x ${pub(ABSENT)}`],
    ['a type mismatch', `ssh-rsa ${blob(ED)}`],
    ['empty text', ''],
  ])('refuses %s with KEY_INVALID', (_what, line) => {
    expectCode(() => addKey(NASTY, line), 'KEY_INVALID');
  });
});

describe('removeKey', () => {
  const withoutLines = (numbers: number[]) =>
    LINES.filter((_l, i) => !numbers.includes(i + 1))
      .map((l) => `${l}\n`)
      .join('');

  it('removes every active line with the key (by fingerprint) and nothing else', () => {
    // lines 3 and 17 hold ED; line 11 (unterminated quote) and line 14 (type mismatch) also
    // contain its blob but are not key lines sshd would read, so they stay
    expect(removeKey(NASTY, fp(ED))).toEqual({ text: withoutLines([3, 17]), removed: 2 });
    // ED2: lines 4 and 21 active, line 16 commented out and kept
    expect(removeKey(NASTY, fp(ED2))).toEqual({ text: withoutLines([4, 21]), removed: 2 });
  });

  it('takes a public key line (with options), a bare blob, or the blob bytes', () => {
    const expected = { text: withoutLines([6]), removed: 1 };
    expect(removeKey(NASTY, pub('openssh-ecdsa-256'))).toEqual(expected);
    expect(removeKey(NASTY, `no-pty ${pub('openssh-ecdsa-256')} other comment`)).toEqual(expected);
    expect(removeKey(NASTY, blob('openssh-ecdsa-256'))).toEqual(expected);
    expect(removeKey(NASTY, parsePublicKeyLine(pub('openssh-ecdsa-256')).blob)).toEqual(expected);
    expect(removeKey(NASTY, fp('openssh-ecdsa-521'))).toEqual({ text: withoutLines([10]), removed: 1 });
  });

  it('leaves the text alone when the key is absent', () => {
    expect(removeKey(NASTY, pub(ABSENT))).toEqual({ text: NASTY, removed: 0 });
    expect(removeKey('', fp(ED))).toEqual({ text: '', removed: 0 });
  });

  it('keeps CRLF and a missing final newline on the lines it keeps', () => {
    const c = crlf(NASTY);
    expect(removeKey(c, fp('openssh-rsa-3072')).text).toBe(crlf(withoutLines([5])));
    const noNl = NASTY.slice(0, -1);
    // the last line has no newline and stays so
    expect(removeKey(noNl, fp(ED)).text).toBe(withoutLines([3, 17]).slice(0, -1));
    // removing that last line leaves the previous line's newline in place
    expect(removeKey(noNl, fp(ED2)).text).toBe(withoutLines([4, 21]));
  });

  it('refuses a target that names no key', () => {
    expectCode(() => removeKey(NASTY, 'SHA256:short'), 'KEY_INVALID', /fingerprint/);
    expectCode(() => removeKey(NASTY, 'ssh-ed25519'), 'KEY_INVALID');
    expectCode(() => removeKey(NASTY, 'AAAA'), 'KEY_INVALID');
  });

  it('findKey returns the matching entries', () => {
    expect(findKey(NASTY, fp(ED)).map((e) => e.line)).toEqual([3, 17]);
    expect(findKey(NASTY, pub(ABSENT))).toEqual([]);
  });
});

describe('editing random files', () => {
  it('round-trips, adds idempotently, and removes back to the original (300 cases)', () => {
    const next = rng(1234);
    const pool = [...LINES, '', '  ', '#', `ssh-ed25519 ${blob(ED)}`, 'x y z', `ssh-ed25519 ${blob(ED)}\r`];
    for (let n = 0; n < 300; n++) {
      const count = Math.floor(next() * 12);
      let text = '';
      for (let i = 0; i < count; i++) text += pool[Math.floor(next() * pool.length)]! + (next() < 0.3 ? '\r\n' : '\n');
      if (next() < 0.3 && text.endsWith('\n')) text = text.replace(/\r?\n$/, '');

      expect(join(parseAuthorizedKeys(text))).toBe(text);
      const added = addKey(text, pub(ABSENT));
      expect(added.changed).toBe(true);
      expect(added.text.startsWith(text)).toBe(true);
      expect(addKey(added.text, pub(ABSENT)).changed).toBe(false);
      const back = removeKey(added.text, fp(ABSENT));
      expect(back.removed).toBe(1);
      expect(back.text).toBe(text === '' || text.endsWith('\n') ? text : `${text}\n`);
    }
  });
});
