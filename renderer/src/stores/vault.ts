import { create } from 'zustand';
import type { EventPayload } from '../../../shared/contract';
import type { VaultStatus } from '../../../shared/domain/vault';
import { BulwarkError } from '../../../shared/errors';
import { call, onCallError, onEvent } from '../bridge';
import { clearSensitive } from './sensitive';
import { toastError } from './ui';

export type LockReason = NonNullable<EventPayload<'vault:stateChanged'>['reason']>;

interface VaultState {
  status: VaultStatus | null;
  /** Set when the very first vault:status failed: there is nothing else to show. */
  loadError: BulwarkError | null;
  /** Why the vault last locked, for the unlock screen. */
  lockReason: LockReason | null;
  /** True while vault:create runs, so the stateChanged event does not open the app early. */
  creating: boolean;
  /** Shown once after creation, until the user confirms storing it; then dropped. */
  recoveryKey: string | null;
  refresh(): Promise<void>;
  create(passphrase: string): Promise<void>;
  acknowledgeRecoveryKey(): void;
  unlock(passphrase: string): Promise<void>;
  unlockWithKeychain(): Promise<void>;
  recover(recoveryKey: string, newPassphrase: string): Promise<void>;
  lock(): Promise<void>;
  changePassphrase(current: string, next: string): Promise<void>;
  /** Issues a new recovery key; the app then shows it once, like at creation. */
  rotateRecoveryKey(passphrase: string): Promise<void>;
  setAutoLock(minutes: number): Promise<void>;
  setKeychain(enabled: boolean): Promise<void>;
}

export const useVaultStore = create<VaultState>()((set, get) => {
  /** Every status that arrives goes through here, so a lock always clears decrypted data. */
  const apply = (status: VaultStatus) => {
    if (status.state !== 'unlocked') {
      clearSensitive();
      set({ recoveryKey: null });
    } else {
      set({ lockReason: null });
    }
    set({ status, loadError: null });
  };

  return {
    status: null,
    loadError: null,
    lockReason: null,
    creating: false,
    recoveryKey: null,

    async refresh() {
      try {
        apply(await call('vault:status', {}));
      } catch (e) {
        const error = e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', String(e));
        if (get().status) toastError('Could not read the vault status', error);
        else set({ loadError: error });
      }
    },
    async create(passphrase) {
      set({ creating: true });
      try {
        const { recoveryKey, status } = await call('vault:create', { passphrase });
        // Key first: the app routes to the recovery-key step while it is set.
        set({ recoveryKey });
        apply(status);
      } finally {
        set({ creating: false });
      }
    },
    acknowledgeRecoveryKey() {
      set({ recoveryKey: null });
    },
    async unlock(passphrase) {
      apply(await call('vault:unlock', { passphrase }));
    },
    async unlockWithKeychain() {
      apply(await call('vault:unlockWithKeychain', {}));
    },
    async recover(recoveryKey, newPassphrase) {
      apply(await call('vault:recover', { recoveryKey, newPassphrase }));
    },
    async lock() {
      // Forget decrypted data and leave the app now rather than after the round trip: if the
      // call fails the user merely has to unlock again, which is the safe way to be wrong.
      clearSensitive();
      set((s) => ({ lockReason: 'user', status: s.status && { ...s.status, state: s.status.state === 'absent' ? 'absent' : 'locked' } }));
      apply(await call('vault:lock', {}));
    },
    async changePassphrase(current, next) {
      apply(await call('vault:changePassphrase', { current, next }));
    },
    async rotateRecoveryKey(passphrase) {
      const { recoveryKey } = await call('vault:rotateRecoveryKey', { passphrase });
      set({ recoveryKey });
    },
    async setAutoLock(minutes) {
      apply(await call('vault:setAutoLock', { minutes }));
    },
    async setKeychain(enabled) {
      apply(await call('vault:setKeychain', { enabled }));
    },
  };
});

let started = false;

/** Wires main's lock events into the store; called once from main.tsx, outside React. */
export function startVaultEvents(): void {
  if (started) return;
  started = true;
  onEvent('vault:stateChanged', ({ state, reason }) => {
    const store = useVaultStore.getState();
    if (state === 'unlocked' && store.creating) return; // vault:create's reply carries the key
    if (state !== 'unlocked') {
      clearSensitive();
      useVaultStore.setState({ recoveryKey: null, lockReason: reason ?? store.lockReason });
    }
    // Switch screens at once; the full status (keychain, auto-lock) follows from main.
    if (store.status) useVaultStore.setState({ status: { ...store.status, state } });
    void store.refresh();
  });
  // A call that finds the vault locked means we missed the event: catch up.
  onCallError((error) => {
    const { status } = useVaultStore.getState();
    if (error.code === 'VAULT_LOCKED' && status?.state === 'unlocked') {
      clearSensitive();
      useVaultStore.setState({ status: { ...status, state: 'locked' } });
      void useVaultStore.getState().refresh();
    }
  });
}

/** How often user input may postpone the idle auto-lock; main counts minutes, not keystrokes. */
const ACTIVITY_PING_MS = 30_000;

/**
 * Reading the inventory makes no IPC call, so without this a user scrolling through hosts
 * would be locked out mid-task. Input events are throttled into one vault:touch per interval.
 */
export function startActivityPings(target: EventTarget = window): void {
  let last = 0;
  const ping = () => {
    const now = Date.now();
    if (now - last < ACTIVITY_PING_MS || useVaultStore.getState().status?.state !== 'unlocked') return;
    last = now;
    call('vault:touch', {}).catch(() => undefined); // a failed ping only means the lock comes sooner
  };
  for (const type of ['keydown', 'pointerdown', 'wheel']) target.addEventListener(type, ping, { passive: true, capture: true });
}
