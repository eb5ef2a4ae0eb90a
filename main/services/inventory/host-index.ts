/**
 * In-memory index over the host records: a lowercase search haystack and a sort key per host.
 *
 * The vault stays the source of truth: every read lists the records again (so a lock, a vault
 * import or another writer is always seen). The vault hands out one frozen object per record
 * revision, so derived strings are memoised per record OBJECT (a WeakMap: no invalidation to
 * forget, and a rewritten record is a new object). When the listed objects are those of the
 * previous call (or a few edited in place) the sorted order and its haystacks are reused, so a
 * search is one `includes` per host; inserts, deletes and renames re-sort.
 */
import type { Host } from '../../../shared/domain/host';

interface Derived {
  /** Every searchable field, lowercased, joined by "\n" (terms never contain whitespace). */
  hay: string;
  sortKey: string;
  /** Index in the sorted order as of the last rebuild or patch. */
  pos: number;
}

export class HostIndex {
  private derived = new WeakMap<Host, Derived>();
  /** The rows of the last call, in vault order, to detect "nothing changed" by identity. */
  private lastRows: Host[] = [];
  private order: Host[] = [];
  private hays: string[] = [];

  /** Returns `rows` sorted by name (case-insensitive); a fresh array the caller may modify. */
  sorted(rows: Host[]): Host[] {
    this.refresh(rows);
    return this.order.slice();
  }

  /** Hosts whose haystack contains every whitespace-separated term of `query`. */
  search(rows: Host[], query: string): Host[] {
    this.refresh(rows);
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (terms.length === 0) return this.order.slice();
    const out: Host[] = [];
    const { order, hays } = this;
    for (let i = 0; i < order.length; i++) {
      const hay = hays[i]!;
      let all = true;
      for (const t of terms) {
        if (!hay.includes(t)) {
          all = false;
          break;
        }
      }
      if (all) out.push(order[i]!);
    }
    return out;
  }

  /** Drop everything derived from records, e.g. when the vault locks (notes are secret too). */
  clear(): void {
    this.derived = new WeakMap();
    this.lastRows = [];
    this.order = [];
    this.hays = [];
  }

  private refresh(rows: Host[]): void {
    if (this.patch(rows)) return;
    const items = rows.map((host) => {
      let d = this.derived.get(host);
      if (!d) {
        d = derive(host);
        this.derived.set(host, d);
      }
      return { host, d };
    });
    // Code-unit order on lowercase names (ASCII by validation): localeCompare is far slower.
    items.sort((a, b) => {
      const x = a.d.sortKey;
      const y = b.d.sortKey;
      if (x !== y) return x < y ? -1 : 1;
      return a.host.id < b.host.id ? -1 : a.host.id > b.host.id ? 1 : 0;
    });
    this.lastRows = rows;
    this.order = items.map((i) => i.host);
    this.hays = items.map((i, pos) => ((i.d.pos = pos), i.d.hay));
  }

  /**
   * The common cases without a re-sort: nothing changed, or a few records were rewritten in
   * place (the vault keeps its creation order, so an edit keeps its slot) without renaming.
   * Returns false when a full rebuild is needed.
   */
  private patch(rows: Host[]): boolean {
    const last = this.lastRows;
    if (rows.length === 0 || rows.length !== last.length) return false;
    const edits: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === last[i]) continue;
      if (rows[i]!.id !== last[i]!.id || edits.length === 64) return false;
      edits.push(i);
    }
    const patched: Array<[Host, Derived]> = [];
    for (const i of edits) {
      const host = rows[i]!;
      const before = this.derived.get(last[i]!);
      const d = derive(host);
      if (!before || before.sortKey !== d.sortKey) return false;
      d.pos = before.pos;
      patched.push([host, d]);
    }
    for (const [host, d] of patched) {
      this.derived.set(host, d);
      this.order[d.pos] = host;
      this.hays[d.pos] = d.hay;
    }
    this.lastRows = rows;
    return true;
  }
}

function derive(h: Host): Derived {
  const hay = [h.name, h.address, h.user, h.jumpHost, h.tags.join(' '), h.notes].join('\n').toLowerCase();
  return { hay, sortKey: h.name.toLowerCase(), pos: -1 };
}
