import { describe, expect, it } from 'vitest';
import { formatRecoveryKey, generateRecoveryKey, parseRecoveryKey, RECOVERY_KEY_CHARS } from '../../../main/services/vault/recovery-key';
import { recoveryKeySchema } from '../../../shared/domain/vault';
import { expectCode } from './helpers';

describe('recovery keys', () => {
  it('are 56 Crockford base32 characters in dashed groups of four that fit the IPC schema', () => {
    const { key, text } = generateRecoveryKey();
    expect(key.length).toBe(32);
    expect(RECOVERY_KEY_CHARS).toBe(56);
    expect(text).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(recoveryKeySchema.safeParse(text).success).toBe(true);
    expect(parseRecoveryKey(text).equals(key)).toBe(true);
  });

  it('parse tolerantly: case, spaces, missing dashes, I/L for 1, O for 0', () => {
    // find a key that contains 1s and 0s so the aliases are exercised
    let sample = generateRecoveryKey();
    while (!/[01]/.test(sample.text)) sample = generateRecoveryKey();
    const messy = sample.text
      .toLowerCase()
      .replace(/-/g, (_, i: number) => (i % 10 === 4 ? ' ' : i % 10 === 9 ? '' : '-'))
      .replace(/1/g, 'l')
      .replace(/0/g, 'O');
    expect(parseRecoveryKey(`  ${messy}\n`).equals(sample.key)).toBe(true);
    expect(parseRecoveryKey(sample.text.replace(/1/g, 'I').replace(/-/g, '  ')).equals(sample.key)).toBe(true);
  });

  it('say "mistyped" when one character is wrong', () => {
    const { text } = generateRecoveryKey();
    const i = 7;
    const swapped = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
    expectCode(() => parseRecoveryKey(swapped), 'WRONG_RECOVERY_KEY', /mistyped/);
  });

  it('say "mistyped" when two neighbours are transposed', () => {
    let { text } = generateRecoveryKey();
    while (text[10] === text[11]) text = generateRecoveryKey().text;
    const t = text.slice(0, 10) + text[11] + text[10] + text.slice(12);
    expectCode(() => parseRecoveryKey(t), 'WRONG_RECOVERY_KEY', /mistyped/);
  });

  it('name the problem for wrong length and impossible characters', () => {
    const { text } = generateRecoveryKey();
    expectCode(() => parseRecoveryKey(text.slice(0, -5)), 'WRONG_RECOVERY_KEY', /56 characters; this one has 52/);
    expectCode(() => parseRecoveryKey(`${text.slice(0, -1)}U`), 'WRONG_RECOVERY_KEY', /"U"/);
    expectCode(() => parseRecoveryKey(''), 'WRONG_RECOVERY_KEY', /56/);
  });

  it('format deterministically', () => {
    const key = Buffer.alloc(32, 0);
    const a = formatRecoveryKey(key);
    expect(a).toBe(formatRecoveryKey(Buffer.alloc(32, 0)));
    expect(a.startsWith('0000-0000-0000')).toBe(true);
  });
});
