import { memo } from 'react';
import type { StoredLogEvent } from '../../../../shared/domain/logs';
import { eventTime } from './log-text';

export const LOG_ROW_HEIGHT = 28;

export interface RowActions {
  onCopy(e: StoredLogEvent): void;
  onJumpToHost(host: string): void;
  onBan(e: StoredLogEvent): void;
  onUnban(e: StoredLogEvent): void;
}

const isBan = (e: StoredLogEvent) => (e.kind === 'f2b.ban' || e.kind === 'f2b.restore_ban') && e.ip !== null && e.jail !== null;

/** One virtualized row: fixed height, so the list can place 100,000 of them without measuring. */
export const EventRow = memo(function EventRow({ event, index, start, actions }: { event: StoredLogEvent; index: number; start: number; actions: RowActions }) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={`log-grid log-row kind-${event.kind.split('.')[0]}${index % 2 ? ' is-odd' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      data-index={index}
      data-testid="log-row"
      data-kind={event.kind}
      data-host={event.host}
      data-ip={event.ip ?? ''}
    >
      <div role="cell" className="cell mono">
        {eventTime(event)}
      </div>
      <div role="cell" className="cell">
        <button type="button" className="link-button" title={`Show ${event.host} in the inventory`} onClick={() => actions.onJumpToHost(event.host)} data-testid="log-host-link">
          {event.host}
        </button>
      </div>
      <div role="cell" className="cell mono" title={event.kind}>
        {event.kind}
      </div>
      <div role="cell" className="cell mono" title={event.ip ?? undefined}>
        {event.ip ?? ''}
      </div>
      <div role="cell" className="cell" title={event.user ?? undefined}>
        {event.user ?? ''}
      </div>
      <div role="cell" className="cell mono log-raw" title={event.raw}>
        {event.raw}
      </div>
      <div role="cell" className="cell log-row-actions">
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => actions.onCopy(event)} aria-label="Copy the raw line" data-testid="log-copy">
          Copy
        </button>
        {isBan(event) ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => actions.onUnban(event)} data-testid="log-unban">
            Unban
          </button>
        ) : event.ip !== null ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => actions.onBan(event)} data-testid="log-ban">
            Ban
          </button>
        ) : null}
      </div>
    </div>
  );
});
