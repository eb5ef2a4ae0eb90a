/**
 * unlockAsync: the same unlock with scrypt on libuv's thread pool, at the real cost (128 MiB),
 * so the process (Electron's main) keeps running timers and IPC while the key is derived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASS, PASS2, copyFixture, expectCode, makeFixture, removeTempDirs, type Fixture, SLOW } from './helpers';
import { expectRejects } from '../../helpers/expect-error';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture([{ kind: 'host', id: 'h1', value: { name: 'alpha' } }]);
}, 120_000);
afterAll(removeTempDirs);

describe('Vault.unlockAsync (real scrypt parameters)', SLOW, () => {
  it('unlocks like unlock(), while the event loop keeps turning', async () => {
    const v = copyFixture(fx);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const t0 = Date.now();
    try {
      await v.unlockAsync(PASS);
    } finally {
      clearInterval(timer);
    }
    const ms = Date.now() - t0;
    expect(v.state()).toBe('unlocked');
    expect(v.get('host', 'h1')).toEqual({ name: 'alpha' });
    // a blocked loop would tick 0 or 1 times; free, about ms/20
    expect(ticks).toBeGreaterThan(Math.min(5, Math.floor(ms / 40)));
    v.close();
  });

  it('refuses a wrong passphrase with WRONG_PASSPHRASE and stays locked', async () => {
    const v = copyFixture(fx);
    await expectRejects(v.unlockAsync('not the passphrase at all'), 'WRONG_PASSPHRASE');
    expect(v.state()).toBe('locked');
    expectCode(() => v.get('host', 'h1'), 'VAULT_LOCKED');
    v.close();
  });

  it('two unlocks at once open one session; a wrong second passphrase is still refused', async () => {
    const v = copyFixture(fx);
    const states: string[] = [];
    v.onStateChange((s) => states.push(s));
    await Promise.all([v.unlockAsync(PASS), v.unlockAsync(PASS)]);
    expect(states).toEqual(['unlocked']);
    await expectRejects(v.unlockAsync(PASS2), 'WRONG_PASSPHRASE');
    expect(v.state()).toBe('unlocked');
    v.close();
  });
});
