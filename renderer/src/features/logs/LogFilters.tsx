import { useShallow } from 'zustand/react/shallow';
import { LOG_EVENT_KINDS } from '../../../../shared/domain/logs';
import { useLogsStore } from '../../stores/logs';
import { activeQuickView, isFilterEmpty, QUICK_VIEWS, type QuickView } from './log-derive';

/** Host, kind, IP, user and free text, and the three quick views (which set the kinds). */
export function LogFilters({ hostNames }: { hostNames: readonly string[] }) {
  const { filter, setFilter, toggleQuickView, clearFilter } = useLogsStore(
    useShallow((s) => ({ filter: s.filter, setFilter: s.setFilter, toggleQuickView: s.toggleQuickView, clearFilter: s.clearFilter })),
  );
  const quick = activeQuickView(filter);
  const kindValue = filter.kinds.length === 1 ? filter.kinds[0]! : filter.kinds.length === 0 ? '' : '*';

  return (
    <div className="log-filters" role="search" aria-label="Filter events" data-testid="log-filters">
      <div className="log-quick" role="group" aria-label="Quick views">
        {(Object.keys(QUICK_VIEWS) as QuickView[]).map((id) => (
          <button
            key={id}
            type="button"
            className={`btn btn-sm ${quick === id ? 'btn-primary' : 'btn-secondary'}`}
            aria-pressed={quick === id}
            onClick={() => toggleQuickView(id)}
            data-testid={`logs-quick-${id}`}
          >
            {QUICK_VIEWS[id].label}
          </button>
        ))}
      </div>
      <select className="input input-sm" aria-label="Host" value={filter.hosts[0] ?? ''} onChange={(e) => setFilter({ hosts: e.target.value ? [e.target.value] : [] })} data-testid="logs-filter-host">
        <option value="">All hosts</option>
        {hostNames.map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
      </select>
      <select className="input input-sm" aria-label="Kind" value={kindValue} onChange={(e) => setFilter({ kinds: e.target.value ? [e.target.value as (typeof LOG_EVENT_KINDS)[number]] : [] })} data-testid="logs-filter-kind">
        <option value="">All kinds</option>
        {kindValue === '*' ? <option value="*">{quick ? QUICK_VIEWS[quick].label : `${filter.kinds.length} kinds`}</option> : null}
        {LOG_EVENT_KINDS.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
      <input className="input input-sm" placeholder="IP" aria-label="IP address" value={filter.ip} onChange={(e) => setFilter({ ip: e.target.value })} data-testid="logs-filter-ip" />
      <input className="input input-sm" placeholder="User" aria-label="User" value={filter.user} onChange={(e) => setFilter({ user: e.target.value })} data-testid="logs-filter-user" />
      <input className="input input-sm log-filter-text" placeholder="Text in the line" aria-label="Text in the line" value={filter.text} onChange={(e) => setFilter({ text: e.target.value })} data-testid="logs-filter-text" />
      <button type="button" className="btn btn-ghost btn-sm" disabled={isFilterEmpty(filter)} onClick={clearFilter} data-testid="logs-filter-clear">
        Clear
      </button>
    </div>
  );
}
