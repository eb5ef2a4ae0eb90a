/**
 * Input schemas of the key store. They live here until the IPC contract (shared/contract.ts)
 * takes keys:* channels; then they move to shared/domain so the forms share the messages.
 */
import { checked } from '../../../shared/domain/host';
import { z } from '../../../shared/zod';
import { MAX_KEY_TEXT } from './import';
import { KEY_TYPES } from './types';
import { MAX_KEY_PASSPHRASE, commentProblem, keyNameProblem } from './validate';

const nameSchema = checked(keyNameProblem);
const commentSchema = checked(commentProblem);
const passphraseSchema = z.string().max(MAX_KEY_PASSPHRASE, `must be at most ${MAX_KEY_PASSPHRASE} characters`);

export const generateKeyInputSchema = z.object({
  name: nameSchema,
  type: z.enum(KEY_TYPES).default('ed25519'),
  bits: z.number().int().optional(),
  comment: commentSchema.optional(),
});
export type GenerateKeyInput = z.input<typeof generateKeyInputSchema>;

export const importKeyInputSchema = z.object({
  name: nameSchema,
  text: z.string().min(1, 'is empty').max(MAX_KEY_TEXT, `must be at most ${MAX_KEY_TEXT} characters`),
  passphrase: passphraseSchema.optional(),
  comment: commentSchema.optional(),
  source: z.enum(['imported', 'ssh-config']).default('imported'),
});
export type ImportKeyInput = z.input<typeof importKeyInputSchema>;

export const renameKeyInputSchema = z.object({ name: nameSchema });

export const exportPrivateOptionsSchema = z.object({
  passphrase: passphraseSchema.min(1, 'must not be empty (leave it out for no passphrase)').optional(),
});
