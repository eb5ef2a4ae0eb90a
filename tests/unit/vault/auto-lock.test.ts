import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoLock, type AutoLockTimers, type LockReason, type Vault, type VaultState } from '../../../main/services/vault';
import { PASS, copyFixture, makeFixture, removeTempDirs, SLOW } from './helpers';

/** A manual clock: advance() fires due timers in order. */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: AutoLockTimers & { advance(ms: number): void; jump(ms: number): void; count(): number } = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      pending.delete(h as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > end) break;
        pending.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
    /** wall clock moves but no timer runs: a suspended laptop */
    jump(ms) {
      now += ms;
    },
    count: () => pending.size,
  };
  return timers;
}

/** A stand-in vault for the pure timing logic. */
function fakeVault(minutes: number) {
  let state: VaultState = 'unlocked';
  const listeners = new Set<(s: VaultState, r?: LockReason) => void>();
  const locks: Array<LockReason | undefined> = [];
  return {
    locks,
    minutes,
    state: () => state,
    getAutoLockMinutes() {
      return this.minutes;
    },
    lock(reason?: LockReason) {
      locks.push(reason);
      state = 'locked';
      listeners.forEach((l) => l('locked', reason));
    },
    unlock() {
      state = 'unlocked';
      listeners.forEach((l) => l('unlocked'));
    },
    onStateChange(l: (s: VaultState, r?: LockReason) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

describe('AutoLock', () => {
  it('locks after the idle period; touch() restarts it', () => {
    const t = fakeTimers();
    const v = fakeVault(15);
    const al = new AutoLock(v, t);
    t.advance(14 * 60_000);
    al.touch();
    t.advance(14 * 60_000);
    expect(v.locks).toEqual([]);
    t.advance(60_000);
    expect(v.locks).toEqual(['idle']);
    expect(t.count()).toBe(0);
    al.dispose();
  });

  it('0 minutes means never', () => {
    const t = fakeTimers();
    const v = fakeVault(0);
    const al = new AutoLock(v, t);
    al.touch();
    t.advance(10 * 24 * 3_600_000);
    expect(v.locks).toEqual([]);
    expect(t.count()).toBe(0);
    al.dispose();
  });

  it('re-arms on unlock, disarms on lock, and reads the setting on each touch', () => {
    const t = fakeTimers();
    const v = fakeVault(5);
    const al = new AutoLock(v, t);
    v.lock('user');
    expect(t.count()).toBe(0);
    t.advance(60 * 60_000);
    expect(v.locks).toEqual(['user']);
    v.minutes = 2;
    v.unlock();
    t.advance(2 * 60_000);
    expect(v.locks).toEqual(['user', 'idle']);
    al.touch(); // locked: no timer
    expect(t.count()).toBe(0);
    al.dispose();
    v.unlock();
    expect(t.count()).toBe(0); // disposed: no longer listening
  });

  it('a touch after the machine slept past the deadline locks instead of extending', () => {
    const t = fakeTimers();
    const v = fakeVault(15);
    const al = new AutoLock(v, t);
    t.jump(8 * 3_600_000); // suspended overnight: timers did not run
    al.touch();
    expect(v.locks).toEqual(['idle']);
    al.dispose();
  });

  it('follows a changed setting when the timer fires: longer waits, 0 disarms', () => {
    const t = fakeTimers();
    const v = fakeVault(5);
    const al = new AutoLock(v, t);
    v.minutes = 20; // changed without a touch
    t.advance(5 * 60_000);
    expect(v.locks).toEqual([]);
    t.advance(15 * 60_000);
    expect(v.locks).toEqual(['idle']);
    v.unlock();
    v.minutes = 0;
    t.advance(20 * 60_000);
    expect(v.locks).toEqual(['idle']);
    expect(t.count()).toBe(0);
    al.dispose();
  });

  it('a timer that fires early goes back to sleep for the remainder', () => {
    let now = 0;
    const scheduled: Array<{ fn: () => void; ms: number }> = [];
    const timers: AutoLockTimers = {
      now: () => now,
      setTimeout: (fn, ms) => scheduled.push({ fn, ms }),
      clearTimeout: () => {},
    };
    const v = fakeVault(10);
    const al = new AutoLock(v, timers);
    expect(scheduled[0]!.ms).toBe(600_000);
    now = 590_000;
    scheduled[0]!.fn(); // 10 s early
    expect(v.locks).toEqual([]);
    expect(scheduled[1]!.ms).toBe(10_000);
    now = 600_000;
    scheduled[1]!.fn();
    expect(v.locks).toEqual(['idle']);
    al.dispose();
  });
});

describe('AutoLock with a real vault', SLOW, () => {
  let v: Vault;
  beforeAll(() => {
    v = copyFixture(makeFixture());
  }, SLOW.timeout);
  afterAll(() => {
    v.close();
    removeTempDirs();
  });

  it('calls vault.lock("idle") after getAutoLockMinutes() of inactivity', () => {
    const t = fakeTimers();
    const al = new AutoLock(v, t);
    const events: Array<[VaultState, LockReason | undefined]> = [];
    v.onStateChange((s, r) => events.push([s, r]));
    v.unlock(PASS);
    v.setAutoLockMinutes(1);
    al.touch();
    t.advance(59_000);
    expect(v.state()).toBe('unlocked');
    t.advance(1_000);
    expect(v.state()).toBe('locked');
    expect(events).toEqual([
      ['unlocked', undefined],
      ['locked', 'idle'],
    ]);
    al.dispose();
  });
});
