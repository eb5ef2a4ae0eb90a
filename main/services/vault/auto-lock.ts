/**
 * Locks the vault after a period without user activity. Whoever sees activity (the IPC router,
 * the window) calls touch(). Timers and the clock are injectable so tests need not wait.
 *
 * The deadline is checked against the wall clock as well as the timer, because timers do not
 * run while the machine sleeps: after a night suspended, the first touch() must lock, not
 * extend the session.
 */
import type { LockReason, VaultState, VaultStateListener } from './vault';

export interface AutoLockTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/** The part of Vault that AutoLock uses. */
export interface AutoLockTarget {
  state(): VaultState;
  getAutoLockMinutes(): number;
  lock(reason?: LockReason): void;
  onStateChange(listener: VaultStateListener): () => void;
}

const realTimers: AutoLockTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref(); // an idle timer must not keep a CLI process alive
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
  now: () => Date.now(),
};

export class AutoLock {
  private handle: unknown = null;
  /** Wall-clock time of the last activity while armed; null when no timer is armed. */
  private lastActivity: number | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly vault: AutoLockTarget,
    private readonly timers: AutoLockTimers = realTimers,
  ) {
    this.unsubscribe = vault.onStateChange((state) => {
      if (state === 'unlocked') this.arm();
      else this.disarm();
    });
    if (vault.state() === 'unlocked') this.arm();
  }

  /** User activity: restart the idle period (or lock now if it already ran out unnoticed). */
  touch(): void {
    if (this.vault.state() !== 'unlocked') {
      this.disarm();
      return;
    }
    if (this.lastActivity !== null && this.remaining(this.lastActivity) <= 0) {
      this.fire();
      return;
    }
    this.arm();
  }

  dispose(): void {
    this.disarm();
    this.unsubscribe();
  }

  /** ms left before locking, by the current setting (it may have changed since arming). */
  private remaining(since: number): number {
    const ms = this.vault.getAutoLockMinutes() * 60_000;
    return ms <= 0 ? Infinity : since + ms - this.timers.now();
  }

  private arm(): void {
    this.disarm();
    if (this.vault.getAutoLockMinutes() <= 0) return; // 0 = never
    this.lastActivity = this.timers.now();
    this.schedule(this.remaining(this.lastActivity));
  }

  private schedule(ms: number): void {
    this.handle = this.timers.setTimeout(() => this.onTimer(), ms);
  }

  private onTimer(): void {
    this.handle = null;
    if (this.lastActivity === null) return;
    const left = this.remaining(this.lastActivity);
    if (left === Infinity) this.disarm(); // switched to "never" meanwhile
    // timers can fire early, and the setting may have grown: sleep for the rest
    else if (left > 0) this.schedule(left);
    else this.fire();
  }

  private fire(): void {
    this.disarm();
    if (this.vault.state() === 'unlocked') this.vault.lock('idle');
  }

  private disarm(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.lastActivity = null;
  }
}
