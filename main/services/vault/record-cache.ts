/**
 * Decrypted records kept per kind after the first access, so list() of thousands of records is
 * a copy of an array rather than thousands of decryptions. Dropped on lock.
 */
export interface CachedRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  value: unknown;
}

export class KindCache {
  private readonly byId = new Map<string, CachedRecord>();
  private ordered: unknown[] | null = null;

  constructor(records: Iterable<CachedRecord>) {
    for (const r of records) this.byId.set(r.id, r);
  }

  get(id: string): CachedRecord | undefined {
    return this.byId.get(id);
  }

  set(record: CachedRecord): void {
    this.byId.set(record.id, record);
    this.ordered = null;
  }

  delete(id: string): boolean {
    const had = this.byId.delete(id);
    if (had) this.ordered = null;
    return had;
  }

  /** Values ordered by createdAt then id; a fresh array each call so callers may sort it. */
  values(): unknown[] {
    if (!this.ordered) {
      const all = [...this.byId.values()];
      all.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.ordered = all.map((r) => r.value);
    }
    return this.ordered.slice();
  }
}
