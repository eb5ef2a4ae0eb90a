/** Helpers shared by the inventory tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostInputSchema, type HostFields } from '../../../shared/domain/host';
import type { ImportEntry, ParsedImport } from '../../../main/services/inventory';

export const FIXTURES = join(__dirname, '../../fixtures/inventory');
export const PASSPHRASE = 'correct horse battery staple 42!';
export const FAST_KDF = { N: 2 ** 14, r: 8, p: 1 };

/** The fields a NEW host would get from an entry (defaults, then stated values, then schema defaults). */
export function fieldsForNew(entry: ImportEntry): HostFields {
  return hostInputSchema.parse({ ...entry.defaults, ...(entry.input as object) });
}

export function byName(parsed: ParsedImport): Map<string, ImportEntry> {
  return new Map(parsed.entries.map((e) => [(e.input as { name: string }).name, e]));
}

export function reasonFor(parsed: { skipped: { name: string; reason: string }[] }, name: string): string | undefined {
  return parsed.skipped.find((s) => s.name === name)?.reason;
}

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(prefix = 'bulwark-inv-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
