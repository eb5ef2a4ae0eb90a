import { useState } from 'react';
import type { ImportReport } from '../../../../shared/domain/host';
import { toastSuccess } from '../../stores/ui';

/** Shared state of both import dialogs: one run at a time, its report or its error. */
export function useImport() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const run = async (work: () => Promise<ImportReport>) => {
    setBusy(true);
    setError(null);
    try {
      const r = await work();
      setReport(r);
      toastSuccess('Import finished', `${r.added.length} added, ${r.updated.length} updated, ${r.skipped.length} skipped`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, report, run, setError };
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
