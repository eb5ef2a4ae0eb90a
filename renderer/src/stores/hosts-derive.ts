/**
 * Pure derivations over the host list: sort, filter, tag counts. Split so that typing in the
 * search box only re-filters an already sorted array (a linear scan), and re-sorting happens
 * only when the hosts or the sort order change. Fast enough for 10,000+ hosts per keystroke.
 */
import type { Host } from '../../../shared/domain/host';

export type SortColumn = 'name' | 'address' | 'port' | 'user' | 'tags' | 'updated';
export type SortDirection = 'asc' | 'desc';
export interface SortOrder {
  column: SortColumn;
  direction: SortDirection;
}

// numeric: "web10" after "web9", "10.0.0.10" after "10.0.0.9".
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function sortKey(host: Host, column: SortColumn): string | number {
  switch (column) {
    case 'name':
      return host.name;
    case 'address':
      return host.address;
    case 'port':
      return host.port;
    case 'user':
      return host.user;
    case 'tags':
      return host.tags.join(' ');
    case 'updated':
      return host.updatedAt;
  }
}

export function sortHosts(hosts: readonly Host[], { column, direction }: SortOrder): Host[] {
  // Keys computed once per host instead of twice per comparison.
  const keyed = hosts.map((host) => ({ host, key: sortKey(host, column) }));
  const sign = direction === 'asc' ? 1 : -1;
  keyed.sort((a, b) => {
    const primary =
      typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : collator.compare(String(a.key), String(b.key));
    // Ties fall back to the name so the order is stable and predictable.
    return sign * (primary || collator.compare(a.host.name, b.host.name) || (a.host.id < b.host.id ? -1 : 1));
  });
  return keyed.map((k) => k.host);
}

// Host objects are replaced on every change, so a WeakMap keyed by them never goes stale.
const haystacks = new WeakMap<Host, string>();
function haystack(host: Host): string {
  let h = haystacks.get(host);
  if (h === undefined) {
    h = [host.name, host.address, host.user, String(host.port), host.jumpHost, host.tags.join(' '), host.notes].join('\n').toLowerCase();
    haystacks.set(host, h);
  }
  return h;
}

/**
 * Builds the search strings ahead of the first keystroke, in idle slices, so the first search
 * over a large inventory does not pay for 10,000 string joins at once.
 */
export function warmSearchIndex(hosts: readonly Host[]): void {
  if (typeof requestIdleCallback !== 'function') return;
  let i = 0;
  const step = (deadline: IdleDeadline) => {
    while (i < hosts.length && deadline.timeRemaining() > 1) haystack(hosts[i++]!);
    if (i < hosts.length) requestIdleCallback(step);
  };
  requestIdleCallback(step);
}

/** Every whitespace-separated term must appear; every selected tag must be on the host. */
export function filterHosts(sorted: readonly Host[], query: string, tags: readonly string[]): readonly Host[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0 && tags.length === 0) return sorted;
  return sorted.filter(
    (host) => tags.every((t) => host.tags.includes(t)) && (terms.length === 0 || terms.every((t) => haystack(host).includes(t))),
  );
}

export interface TagCount {
  tag: string;
  count: number;
}

export function countTags(hosts: readonly Host[]): TagCount[] {
  const counts = new Map<string, number>();
  for (const host of hosts) for (const tag of host.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => collator.compare(a.tag, b.tag));
}
