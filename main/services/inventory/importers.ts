/**
 * Parse + upsert in one call, merging what the parser refused into the store's report. These
 * are what the IPC handlers and the CLI call.
 */
import type { ImportReport } from '../../../shared/domain/host';
import type { KeyPassphrases, SshConfigImportReport } from '../../../shared/domain/ssh-config-import';
import { parseAnsibleInventory } from './ansible-inventory';
import type { HostStore } from './hosts';
import { parseSshConfig, type SshConfigImportOptions } from './ssh-config-import';
import { prepareSshConfigImport, type SshConfigKeysOptions, type SshConfigStores } from './ssh-config-keys';
import type { ParsedImport } from './types';

export function applyImport(store: HostStore, parsed: ParsedImport): ImportReport {
  const report = store.upsertMany(parsed.entries);
  return { ...report, skipped: [...parsed.skipped, ...report.skipped] };
}

export function importSshConfig(store: HostStore, text: string, options: SshConfigImportOptions = {}): ImportReport {
  return applyImport(store, parseSshConfig(text, options));
}

/**
 * Hosts and their IdentityFile keys in one call (the IPC handler's shape): encrypted keys without
 * an entry in `passphrases` (keyed by the paths a previous report listed) are reported as
 * needing one.
 */
export function importSshConfigWithKeys(
  stores: SshConfigStores,
  text: string,
  options: SshConfigKeysOptions & { passphrases?: KeyPassphrases } = {},
): SshConfigImportReport {
  const prepared = prepareSshConfigImport(stores, text, options);
  for (const [path, passphrase] of Object.entries(options.passphrases ?? {})) prepared.unlock(path, passphrase);
  return prepared.apply();
}

export function importAnsibleInventory(store: HostStore, text: string, fileName?: string): ImportReport {
  return applyImport(store, parseAnsibleInventory(text, fileName === undefined ? {} : { fileName }));
}
