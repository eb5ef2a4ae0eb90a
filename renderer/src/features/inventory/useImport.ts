import { useState } from 'react';
import type { ImportReport } from '../../../../shared/domain/host';
import type { KeyPassphrases, SshConfigImportReport } from '../../../../shared/domain/ssh-config-import';
import { call } from '../../bridge';
import { useHostsStore } from '../../stores/hosts';
import { useKeysStore } from '../../stores/keys';
import { toastSuccess } from '../../stores/ui';

/** Shared state of both import dialogs: one run at a time, its report or its error. */
export function useImport<R extends ImportReport = ImportReport>() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<R | null>(null);

  /** Resolves with the report, or null when the run failed (the error is shown). */
  const run = async (work: () => Promise<R>, options: { toast?: boolean } = {}): Promise<R | null> => {
    setBusy(true);
    setError(null);
    try {
      const r = await work();
      setReport(r);
      if (options.toast !== false) toastSuccess('Import finished', `${r.added.length} added, ${r.updated.length} updated, ${r.skipped.length} skipped`);
      return r;
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, report, run, setError, setReport };
}

/**
 * hosts:importSshConfig with the keys its IdentityFiles name (`text` undefined: main reads
 * ~/.ssh/config). Called here rather than through the hosts store because the reply carries the
 * keys report and the request the key passphrases. Both lists are reloaded afterwards: the Keys
 * view only loads its list once, so a list it already has would miss the imported keys.
 */
export async function importSshConfig(text: string | undefined, keyPassphrases?: KeyPassphrases): Promise<SshConfigImportReport> {
  const report = await call('hosts:importSshConfig', {
    ...(text !== undefined ? { text } : {}),
    ...(keyPassphrases && Object.keys(keyPassphrases).length ? { keyPassphrases } : {}),
  });
  await useHostsStore.getState().load();
  const keys = useKeysStore.getState();
  if (report.keys.imported.length && keys.loadState !== 'idle') void keys.load();
  return report;
}

/** Reads a chosen file, refusing sizes the contract would reject anyway with a vaguer message. */
export async function readLimited(file: File, maxChars: number): Promise<string> {
  // UTF-8 never uses fewer bytes than characters, so a file this size may still fit: read it.
  const text = await file.text();
  if (text.length > maxChars) {
    throw new Error(`${file.name} is too large to import (${text.length.toLocaleString()} characters; the limit is ${maxChars.toLocaleString()}).`);
  }
  return text;
}
