import { useDeferredValue, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Host } from '../../../../shared/domain/host';
import { Icon } from '../../components/Icon';
import { useFleetStore } from '../../stores/fleet';
import type { HostPickerState } from '../../stores/host-picker';
import { useHostsStore } from '../../stores/hosts';
import { countTags, filterHosts, sortHosts } from '../../stores/hosts-derive';

/** Rows rendered at most; "Select all shown" still covers every match. */
const LIST_LIMIT = 200;

/** What the picker reads and sets: the Keys view's fleet store, or another view's own (a store with more fields fits too). */
export type PickerStore = <T>(selector: (s: HostPickerState) => T) => T;

/** The hosts picked for the next job, by search and tags (the inventory's own rules). */
export function useSelectedHosts(store: PickerStore = useFleetStore): Host[] {
  const hosts = useHostsStore((s) => s.hosts);
  const selected = store((s) => s.selected);
  // ids of hosts deleted meanwhile simply drop out
  return useMemo(() => sortHosts(hosts.filter((h) => selected.has(h.id)), { column: 'name', direction: 'asc' }), [hosts, selected]);
}

export function HostPicker({ disabled, store = useFleetStore }: { disabled: boolean; store?: PickerStore }) {
  const hosts = useHostsStore((s) => s.hosts);
  const loadState = useHostsStore((s) => s.loadState);
  const inventorySelection = useHostsStore((s) => s.selection);
  const { query, tags, selected, setQuery, toggleTag, toggleHost, setHosts, clearHosts } = store(
    useShallow((s) => ({
      query: s.query,
      tags: s.tags,
      selected: s.selected,
      setQuery: s.setQuery,
      toggleTag: s.toggleTag,
      toggleHost: s.toggleHost,
      setHosts: s.setHosts,
      clearHosts: s.clearHosts,
    })),
  );
  const deferredQuery = useDeferredValue(query);
  const sorted = useMemo(() => sortHosts(hosts, { column: 'name', direction: 'asc' }), [hosts]);
  const visible = useMemo(() => filterHosts(sorted, deferredQuery, tags), [sorted, deferredQuery, tags]);
  const tagCounts = useMemo(() => countTags(hosts), [hosts]);
  const picked = useSelectedHosts(store);
  const shownIds = useMemo(() => new Set(visible.map((h) => h.id)), [visible]);
  const hiddenPicked = picked.filter((h) => !shownIds.has(h.id)).length;
  const allShownPicked = visible.length > 0 && visible.every((h) => selected.has(h.id));

  return (
    <section className="picker" aria-labelledby="picker-title" data-testid="host-picker">
      <header className="picker-header">
        <h2 id="picker-title">Hosts</h2>
        <p className="small" aria-live="polite" data-testid="picked-count" data-count={picked.length}>
          <strong>{picked.length}</strong> selected
          {hiddenPicked > 0 ? <span className="muted"> ({hiddenPicked} hidden by the filter)</span> : null}
        </p>
      </header>
      <div className="search">
        <Icon name="search" />
        <input
          type="search"
          className="input"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search name, address, tag…"
          aria-label="Search hosts to pick"
          spellCheck={false}
          data-testid="picker-search"
        />
      </div>
      {tagCounts.length > 0 ? (
        <div className="picker-tags" role="group" aria-label="Filter by tag (hosts must have every selected tag)">
          {tagCounts.map(({ tag, count }) => {
            const on = tags.includes(tag);
            return (
              <button key={tag} type="button" className={`chip${on ? ' is-on' : ''}`} aria-pressed={on} onClick={() => toggleTag(tag)} data-testid="picker-tag" data-tag={tag}>
                {tag}
                <span className="chip-count">{count}</span>
              </button>
            );
          })}
        </div>
      ) : null}
      <div className="row-actions">
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => setHosts(visible.map((h) => h.id), !allShownPicked)}
          disabled={disabled || visible.length === 0}
          data-testid="picker-toggle-shown"
        >
          {allShownPicked ? `Unselect ${visible.length} shown` : `Select ${visible.length} shown`}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={clearHosts} disabled={disabled || selected.size === 0} data-testid="picker-clear">
          Clear
        </button>
        {inventorySelection.size > 0 ? (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => setHosts([...inventorySelection], true)}
            disabled={disabled}
            title="Add the hosts selected in the Inventory"
            data-testid="picker-use-inventory"
          >
            + Inventory selection ({inventorySelection.size})
          </button>
        ) : null}
      </div>
      {loadState === 'ready' && hosts.length === 0 ? (
        <p className="muted small" data-testid="picker-empty">
          The inventory is empty: add hosts in the Inventory first.
        </p>
      ) : (
        <ul className="picker-list" aria-label="Hosts">
          {visible.slice(0, LIST_LIMIT).map((h) => (
            <li key={h.id}>
              <label className="picker-item" data-testid="pick-host" data-host-name={h.name}>
                <input type="checkbox" checked={selected.has(h.id)} onChange={() => toggleHost(h.id)} disabled={disabled} />
                <span className="picker-name">{h.name}</span>
                <span className="picker-address mono muted">
                  {h.user}@{h.address}
                  {h.port !== 22 ? `:${h.port}` : ''}
                </span>
              </label>
            </li>
          ))}
          {visible.length > LIST_LIMIT ? (
            <li className="muted small">
              and {visible.length - LIST_LIMIT} more: narrow the search, or use “Select {visible.length} shown”.
            </li>
          ) : null}
          {visible.length === 0 && hosts.length > 0 ? <li className="muted small">No host matches the search and tags.</li> : null}
        </ul>
      )}
    </section>
  );
}
