import { z } from '../zod';

export const vaultStateSchema = z.enum(['absent', 'locked', 'unlocked']);
export type VaultState = z.infer<typeof vaultStateSchema>;

export const keychainStatusSchema = z.object({
  available: z.boolean(),
  /** Why the OS keychain cannot be used, in words a user can act on. */
  reason: z.string().optional(),
  enrolled: z.boolean(),
});

export const vaultStatusSchema = z.object({
  state: vaultStateSchema,
  path: z.string(),
  autoLockMinutes: z.number().int().min(0),
  keychain: keychainStatusSchema,
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

export const passphraseSchema = z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters');

/** Recovery keys are 32 random bytes written as Crockford base32 in groups of 4. */
export const recoveryKeySchema = z.string().min(40).max(80);

export const lockReasonSchema = z.enum(['user', 'idle', 'passphrase-changed']);
