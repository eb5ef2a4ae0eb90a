import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef } from 'react';
import type { StoredLogEvent } from '../../../../shared/domain/logs';
import type { LogOrder } from '../../stores/logs';
import { EventRow, LOG_ROW_HEIGHT, type RowActions } from './EventRow';

const rowHeight = () => LOG_ROW_HEIGHT;
const COLUMNS = ['Time', 'Host', 'Kind', 'IP', 'User', 'Line', ''];

interface Props {
  /** Oldest first, already filtered. */
  events: readonly StoredLogEvent[];
  order: LogOrder;
  actions: RowActions;
}

/**
 * The event stream, virtualized like the inventory's host table: only the rows in view exist in
 * the DOM. Rows are addressed by position from the chosen end, so newest-first needs no reversed
 * copy of 100,000 events per frame.
 */
export const EventList = memo(function EventList({ events, order, actions }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const n = events.length;
  const at = useCallback((i: number) => (order === 'newest' ? events[n - 1 - i] : events[i]), [events, n, order]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const virtualizer = useVirtualizer({ count: n, getScrollElement, estimateSize: rowHeight, overscan: 12 });

  // Follow mode keeps the newest row in view as events arrive, like tail -f.
  useEffect(() => {
    if (order === 'follow' && n > 0) virtualizer.scrollToIndex(n - 1, { align: 'end' });
  }, [order, n, virtualizer]);

  return (
    <div className="log-table" role="table" aria-label="Log events" aria-rowcount={n + 1} data-testid="log-table">
      <div role="rowgroup">
        <div role="row" className="log-grid log-header">
          {COLUMNS.map((c) => (
            <div role="columnheader" className="cell" key={c || 'actions'}>
              {c}
            </div>
          ))}
        </div>
      </div>
      <div className="log-scroll" ref={scrollRef}>
        {n === 0 ? (
          <p className="muted log-empty" data-testid="log-empty">
            No events match.
          </p>
        ) : null}
        <div role="rowgroup" className="log-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const event = at(item.index)!;
            return <EventRow key={item.key} event={event} index={item.index} start={item.start} actions={actions} />;
          })}
        </div>
      </div>
    </div>
  );
});
