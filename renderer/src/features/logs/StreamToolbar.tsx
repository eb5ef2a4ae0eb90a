import { useShallow } from 'zustand/react/shallow';
import { useLogsStore } from '../../stores/logs';
import { count, plural } from './log-text';

/** Order, pause/resume and what is shown out of what is held. */
export function StreamToolbar({ shown, onBanNow }: { shown: number; onBanNow: () => void }) {
  const { total, order, paused, heldCount, setOrder, pause, resume } = useLogsStore(
    useShallow((s) => ({ total: s.events.length, order: s.order, paused: s.paused, heldCount: s.heldCount, setOrder: s.setOrder, pause: s.pause, resume: s.resume })),
  );
  return (
    <div className="log-stream-bar">
      <div className="segmented" role="group" aria-label="Order">
        <button type="button" className={`btn btn-sm ${order === 'newest' ? 'btn-primary' : 'btn-secondary'}`} aria-pressed={order === 'newest'} onClick={() => setOrder('newest')} data-testid="logs-order-newest">
          Newest first
        </button>
        <button type="button" className={`btn btn-sm ${order === 'follow' ? 'btn-primary' : 'btn-secondary'}`} aria-pressed={order === 'follow'} onClick={() => setOrder('follow')} data-testid="logs-order-follow">
          Follow
        </button>
      </div>
      {paused ? (
        <button type="button" className="btn btn-sm btn-primary" onClick={resume} data-testid="logs-resume">
          Resume
        </button>
      ) : (
        <button type="button" className="btn btn-sm btn-secondary" onClick={pause} data-testid="logs-pause">
          Pause
        </button>
      )}
      {paused ? (
        <span className="badge badge-running" data-testid="logs-held-count" data-count={heldCount} aria-live="polite">
          paused · {plural(heldCount, 'new event')}
        </span>
      ) : null}
      <span className="muted small" data-testid="logs-count" data-shown={shown} data-total={total}>
        {shown === total ? plural(total, 'event') : `${count(shown)} of ${plural(total, 'event')}`}
      </span>
      <button type="button" className="btn btn-sm btn-secondary log-ban-now" onClick={onBanNow} data-testid="logs-ban-now">
        Ban an address…
      </button>
    </div>
  );
}
