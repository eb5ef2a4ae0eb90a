/**
 * Parse + upsert in one call, merging what the parser refused into the store's report. These
 * are what the IPC handlers and the CLI call.
 */
import type { ImportReport } from '../../../shared/domain/host';
import { parseAnsibleInventory } from './ansible-inventory';
import type { HostStore } from './hosts';
import { parseSshConfig, type SshConfigImportOptions } from './ssh-config-import';
import type { ParsedImport } from './types';

export function applyImport(store: HostStore, parsed: ParsedImport): ImportReport {
  const report = store.upsertMany(parsed.entries);
  return { ...report, skipped: [...parsed.skipped, ...report.skipped] };
}

export function importSshConfig(store: HostStore, text: string, options: SshConfigImportOptions = {}): ImportReport {
  return applyImport(store, parseSshConfig(text, options));
}

export function importAnsibleInventory(store: HostStore, text: string, fileName?: string): ImportReport {
  return applyImport(store, parseAnsibleInventory(text, fileName === undefined ? {} : { fileName }));
}
