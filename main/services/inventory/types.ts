/**
 * Types shared by the stores and the importers. The stores depend on this narrow view of the
 * vault rather than on the Vault class so the inventory can be read (and reasoned about)
 * without the crypto; the real Vault satisfies it structurally.
 */
import type { ImportReport } from '../../../shared/domain/host';

export interface RecordStore {
  state(): 'absent' | 'locked' | 'unlocked';
  list<T>(kind: string): T[];
  get<T>(kind: string, id: string): T | undefined;
  put(kind: string, id: string, value: unknown): void;
  putMany(kind: string, entries: { id: string; value: unknown }[]): void;
  delete(kind: string, ids: string[]): number;
  transaction<T>(fn: () => T): T;
  /** When offered, lets derived caches (search haystacks include notes) go as the vault locks. */
  onStateChange?(listener: (state: 'absent' | 'locked' | 'unlocked') => void): () => void;
}

/** One host an importer found. */
export interface ImportEntry {
  /** Values the source states. They overwrite the fields of an existing host of that name. */
  input: unknown;
  /**
   * Values the importer assumed (OpenSSH's default user, "address = alias", notes it derived).
   * They only seed a NEW host: re-importing must not overwrite what the user edited in Bulwark
   * with something the file never said.
   */
  defaults?: Record<string, unknown>;
  /** Where the entry came from ("line 12", a file name), used in skip reasons. */
  source: string;
}

export type Skipped = ImportReport['skipped'][number];

/** What a parser hands to HostStore.upsertMany, plus what it already refused. */
export interface ParsedImport {
  entries: ImportEntry[];
  skipped: Skipped[];
}
