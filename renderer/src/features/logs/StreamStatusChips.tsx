import { memo } from 'react';
import type { LogStreamStatus } from '../../../../shared/domain/logs';
import { plural, statusText } from './log-text';

/** One chip per followed host: connected, reconnecting (why, when again), error (why), dropped events. */
export const StreamStatusChips = memo(function StreamStatusChips({ statuses }: { statuses: readonly LogStreamStatus[] }) {
  if (statuses.length === 0) return <p className="muted small">No host followed yet: pick hosts on the left and press Follow.</p>;
  return (
    <ul className="log-statuses" aria-label="Stream status per host">
      {statuses.map((s) => (
        <li key={s.host} className={`log-status is-${s.state.state}`} data-testid="log-status" data-host={s.host} data-state={s.state.state} title={statusText(s)}>
          <strong>{s.host}</strong> <span>{statusText(s)}</span>
          <span className="muted"> · {plural(s.received, 'event')}</span>
          {s.dropped > 0 ? (
            <span className="log-dropped" data-testid="log-status-dropped" data-count={s.dropped}>
              {' '}
              · {plural(s.dropped, 'dropped', 'dropped')}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
});
