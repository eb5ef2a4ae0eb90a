/**
 * The ssh_config import as it crosses IPC: the passphrases the caller supplies for encrypted
 * IdentityFiles, and the report's `keys` part. Paths are the absolute, expanded paths the
 * report names, so a second call can answer exactly the files the first one listed.
 */
import { z } from '../zod';
import { importReportSchema } from './host';
import { MAX_KEY_PASSPHRASE } from './keys';

/** PATH_MAX on Linux. */
export const MAX_KEY_PATH = 4096;
/** OpenSSH stops at 100 identity files (SSH_MAX_IDENTITY_FILES); a config rarely names more keys. */
export const MAX_KEY_PASSPHRASES = 100;

export const keyPassphrasesSchema = z
  .record(
    z.string().min(1).max(MAX_KEY_PATH),
    z.string().min(1, 'must not be empty (leave the file out to skip it)').max(MAX_KEY_PASSPHRASE, `must be at most ${MAX_KEY_PASSPHRASE} characters`),
  )
  .refine((o) => Object.keys(o).length <= MAX_KEY_PASSPHRASES, `at most ${MAX_KEY_PASSPHRASES} key files`);
export type KeyPassphrases = z.output<typeof keyPassphrasesSchema>;

/** What happened to each IdentityFile, file by file, and which key each host now logs in with. */
export const keysImportReportSchema = z.object({
  /** Stored in the vault by this import. */
  imported: z.array(z.object({ path: z.string(), name: z.string(), fingerprint: z.string() })),
  /** Already in the vault (same fingerprint): that key is used, nothing is stored twice. */
  reused: z.array(z.object({ path: z.string(), name: z.string() })),
  /** Encrypted and no passphrase was given for them: call again with keyPassphrases. */
  needPassphrase: z.array(z.string()),
  /** Missing, unreadable, refused, not a key, or a wrong passphrase; `path` is the IdentityFile as written when it could not be expanded. */
  failed: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** Imported, but worth knowing (a key file other users can read, a short RSA key). */
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
  /** Hosts whose login key is now the key found at `path`. */
  linked: z.array(z.object({ host: z.string(), key: z.string(), path: z.string() })),
});
export type KeysImportReport = z.output<typeof keysImportReportSchema>;

export const sshConfigImportReportSchema = importReportSchema.extend({ keys: keysImportReportSchema });
export type SshConfigImportReport = z.output<typeof sshConfigImportReportSchema>;

const lower = (s: string) => s.toLowerCase();

/**
 * One report for an import run twice: first without passphrases (hosts and plain keys stored),
 * then with the passphrases the first run asked for. The second run sees the first one's hosts
 * as unchanged and its keys as reused; this keeps what the first run did, and takes the final
 * state of keys and links from the second.
 */
export function mergeSshConfigReports(first: SshConfigImportReport, second: SshConfigImportReport): SshConfigImportReport {
  const added = [...first.added, ...second.added];
  const addedSet = new Set(added.map(lower));
  const updated = [...new Set([...first.updated, ...second.updated])].filter((n) => !addedSet.has(lower(n)));
  const touched = new Set([...added, ...updated].map(lower));
  const importedPaths = new Set(first.keys.imported.map((k) => k.path));
  return {
    added,
    updated,
    skipped: second.skipped.filter((s) => !(s.reason === 'unchanged' && touched.has(lower(s.name)))),
    keys: {
      ...second.keys,
      imported: [...first.keys.imported, ...second.keys.imported],
      reused: second.keys.reused.filter((k) => !importedPaths.has(k.path)),
    },
  };
}
