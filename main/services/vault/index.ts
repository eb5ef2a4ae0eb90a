/** The encrypted vault service. Other services and the IPC layer import from here only. */
export { Vault, newId } from './vault';
export type { LockReason, VaultOptions, VaultState, VaultStateListener } from './vault';
export type { KeychainAdapter } from './keychain';
export { AutoLock } from './auto-lock';
export type { AutoLockTarget, AutoLockTimers } from './auto-lock';
export { DEFAULT_COST as DEFAULT_KDF_COST, MIN_PRODUCTION_MEMORY } from './kdf';
export { DEFAULT_AUTO_LOCK_MINUTES } from './meta';
export { writeFileAtomic } from './atomic-write';
