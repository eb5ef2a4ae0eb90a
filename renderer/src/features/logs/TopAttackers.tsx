import { memo, useMemo } from 'react';
import type { StoredLogEvent } from '../../../../shared/domain/logs';
import { topAttackers } from './log-derive';
import { count } from './log-text';

/** The addresses behind the most failed logins, with the hosts they tried. */
export const TopAttackers = memo(function TopAttackers({ events, onBan }: { events: readonly StoredLogEvent[]; onBan: (ip: string) => void }) {
  const top = useMemo(() => topAttackers(events), [events]);
  return (
    <section className="card log-panel" aria-labelledby="top-ips-title" data-testid="top-attackers">
      <header className="card-header">
        <h3 id="top-ips-title">Top attacking addresses</h3>
      </header>
      {top.length === 0 ? (
        <p className="muted small card-body">No failed logins yet.</p>
      ) : (
        <table className="log-mini-table">
          <thead>
            <tr>
              <th>Address</th>
              <th className="num">Failed</th>
              <th>Hosts</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {top.map((a) => (
              <tr key={a.ip} data-testid="top-ip-row" data-ip={a.ip} data-count={a.count}>
                <td className="mono">{a.ip}</td>
                <td className="num">{count(a.count)}</td>
                <td title={a.hosts.join(', ')}>
                  {a.hosts.map((h, i) => (
                    <span key={h} className="host-name">
                      {i ? `, ${h}` : h}
                    </span>
                  ))}
                </td>
                <td>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => onBan(a.ip)} data-testid="top-ip-ban">
                    Ban…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
