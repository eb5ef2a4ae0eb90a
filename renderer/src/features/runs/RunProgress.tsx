import { memo, useState } from 'react';
import { FormError } from '../../components/FormError';
import { finishedCount, useRunsStore, type LiveRun, type RunRow } from '../../stores/runs';
import { toastError } from '../../stores/ui';
import { formatDuration, MODE_LABELS, PHASE_LABELS, plural, STATUS_LABELS } from './run-text';

const ACTIVE: ReadonlySet<string> = new Set(['facts', 'applying', 'verifying', 'restoring']);

// Rows keep their identity until an event changes them, so a frame re-renders only those.
const Row = memo(function Row({ row }: { row: RunRow }) {
  return (
    <tr className={`run-phase-${row.phase}`} data-testid="run-row" data-host-name={row.name} data-phase={row.phase} data-status={row.status ?? ''}>
      <th scope="row" className="mono">
        {row.name}
      </th>
      <td className="nowrap">
        <span className={`run-phase${ACTIVE.has(row.phase) ? ' is-active' : ''} run-phase-badge-${row.phase}`}>{PHASE_LABELS[row.phase]}</span>
      </td>
      <td className="nowrap">{row.status ? <span className={`run-status run-status-${row.status}`}>{STATUS_LABELS[row.status]}</span> : <span className="muted">—</span>}</td>
      <td className="run-row-reason">{row.reason ?? ''}</td>
    </tr>
  );
});

/** The run while it goes: a bar, one live row per host, cancel; then how long it took. */
export function RunProgress({ live, profileName }: { live: LiveRun; profileName: string }) {
  const cancel = useRunsStore((s) => s.cancel);
  const dismiss = useRunsStore((s) => s.dismiss);
  const [cancelFailed, setCancelFailed] = useState(false);
  const running = live.state === 'running' || live.state === 'cancelling';
  const done = finishedCount(live.rows);
  const total = live.rows.length;

  const onCancel = async () => {
    try {
      setCancelFailed(false);
      await cancel();
    } catch (e) {
      setCancelFailed(true);
      toastError('Could not cancel the run', e);
    }
  };

  return (
    <section className="job card run-progress" aria-labelledby="run-progress-title" data-testid="run-progress" data-state={live.state} data-mode={live.mode}>
      <header className="job-header">
        <div>
          <h2 id="run-progress-title">
            {MODE_LABELS[live.mode]} {profileName} on {plural(total, 'host')}
          </h2>
          <p className="small muted" aria-live="polite" data-testid="run-progress-text">
            {running
              ? `${live.state === 'cancelling' ? 'Cancelling… ' : 'Running… '}${done} of ${total} finished`
              : live.finishedAt
                ? `${done} of ${total} finished in ${formatDuration(live.finishedAt - live.startedAt)}`
                : null}
          </p>
        </div>
        <div className="row-actions">
          {running ? (
            <button type="button" className="btn btn-secondary" onClick={() => void onCancel()} disabled={live.state === 'cancelling' && !cancelFailed} data-testid="run-cancel">
              {live.state === 'cancelling' ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : (
            <button type="button" className="btn btn-ghost" onClick={dismiss} data-testid="run-dismiss">
              Clear
            </button>
          )}
        </div>
      </header>
      <progress className="job-bar" max={total} value={done} aria-label="Hosts finished" data-testid="run-progress-bar" data-value={done} data-max={total} />
      {live.error ? <FormError testId="run-error" message={`The run did not start: ${live.error.message}`} code={live.error.code} /> : null}
      <div className="table-scroll run-progress-scroll">
        <table className="data-table" data-testid="run-table">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Step</th>
              <th scope="col">Result</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {live.rows.map((r) => (
              <Row key={r.hostId} row={r} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
