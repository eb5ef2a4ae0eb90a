import { memo, useMemo } from 'react';
import type { StoredLogEvent } from '../../../../shared/domain/logs';
import { currentBans, type ActiveBan } from './log-derive';

/** Bans in force per host and jail, as the fail2ban events tell them. */
export const BanList = memo(function BanList({ events, onUnban }: { events: readonly StoredLogEvent[]; onUnban: (ban: ActiveBan) => void }) {
  const bans = useMemo(() => currentBans(events), [events]);
  return (
    <section className="card log-panel" aria-labelledby="bans-title" data-testid="ban-list" data-count={bans.length}>
      <header className="card-header">
        <h3 id="bans-title">Current bans</h3>
      </header>
      {bans.length === 0 ? (
        <p className="muted small card-body">No bans seen in the events held.</p>
      ) : (
        <table className="log-mini-table">
          <thead>
            <tr>
              <th>Host</th>
              <th>Jail</th>
              <th>Address</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {bans.map((b) => (
              <tr key={`${b.host} ${b.jail} ${b.ip}`} data-testid="ban-row" data-host={b.host} data-jail={b.jail} data-ip={b.ip}>
                <td className="host-name">{b.host}</td>
                <td className="mono">{b.jail}</td>
                <td className="mono">{b.ip}</td>
                <td>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => onUnban(b)} data-testid="ban-row-unban">
                    Unban…
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
