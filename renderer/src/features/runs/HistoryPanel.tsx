import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { FormError } from '../../components/FormError';
import { useRunsStore } from '../../stores/runs';
import { DriftView } from './DriftView';
import { RunResult } from './RunResult';
import { formatWhen, MODE_LABELS, runSummaryText } from './run-text';

const HOSTS_SHOWN = 3;

/** Recorded runs, newest first; one opens below the list with its results and the profile's drift. */
export function HistoryPanel() {
  const { history, historyState, historyError, opened, profiles, loadHistory, open, closeOpened } = useRunsStore(
    useShallow((s) => ({
      history: s.history,
      historyState: s.historyState,
      historyError: s.historyError,
      opened: s.opened,
      profiles: s.profiles,
      loadHistory: s.loadHistory,
      open: s.open,
      closeOpened: s.closeOpened,
    })),
  );
  useEffect(() => {
    void useRunsStore.getState().loadHistory();
  }, []);
  const nameOf = (id: string) => profiles.find((p) => p.id === id)?.name ?? id;

  return (
    <div className="runs-history" data-testid="runs-history">
      <section className="card">
        <header className="card-header history-header">
          <h2>Run history</h2>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void loadHistory()} disabled={historyState === 'loading'} data-testid="history-refresh">
            Refresh
          </button>
        </header>
        {historyError ? <FormError testId="history-error" message={`Could not read the history: ${historyError.message}`} code={historyError.code} /> : null}
        {historyState === 'ready' && history.length === 0 ? (
          <p className="card-body muted" data-testid="history-empty">
            No runs yet. Audit, plan or apply a profile in the New run tab; every run is recorded here, in the vault.
          </p>
        ) : null}
        {history.length > 0 ? (
          <div className="table-scroll history-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Profile</th>
                  <th scope="col">Hosts</th>
                  <th scope="col">Result</th>
                  <th scope="col">Who</th>
                  <th scope="col">
                    <span className="visually-hidden">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.map((r) => (
                  <tr key={r.id} className={opened?.id === r.id ? 'is-selected' : undefined} data-testid="history-row" data-run-id={r.id} data-mode={r.mode} data-profile={r.profileId}>
                    <td className="nowrap">{formatWhen(r.startedAt)}</td>
                    <td>
                      <span className={`mode mode-${r.mode}`}>{MODE_LABELS[r.mode]}</span>
                    </td>
                    <td>{nameOf(r.profileId)}</td>
                    <td title={r.hosts.join(', ')}>
                      {r.hosts.length}
                      <span className="muted small">
                        {' '}
                        {r.hosts.slice(0, HOSTS_SHOWN).join(', ')}
                        {r.hosts.length > HOSTS_SHOWN ? ', …' : ''}
                      </span>
                    </td>
                    <td className={r.summary.failed > 0 ? 'danger-text' : undefined} data-testid="history-summary">
                      {runSummaryText(r.mode, r.summary, r.cancelled)}
                    </td>
                    <td className="nowrap small">
                      {r.who} <span className="muted">via {r.via}</span>
                    </td>
                    <td>
                      <button type="button" className="btn btn-secondary btn-sm" onClick={() => void open(r.id)} data-testid="history-open">
                        Open
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {opened ? (
        <div className="opened-run" data-testid="opened-run" data-run-id={opened.id}>
          <div className="row-actions">
            <button type="button" className="btn btn-ghost btn-sm" onClick={closeOpened} data-testid="opened-close">
              Close run
            </button>
          </div>
          {opened.error ? <FormError testId="opened-error" message={`Could not open the run: ${opened.error.message}`} code={opened.error.code} /> : null}
          {!opened.reply && !opened.error ? <p className="muted">Opening…</p> : null}
          {opened.reply ? (
            <>
              <RunResult reply={opened.reply} profiles={profiles} />
              <DriftView profileId={opened.reply.profileId} profileName={nameOf(opened.reply.profileId)} history={history} />
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
