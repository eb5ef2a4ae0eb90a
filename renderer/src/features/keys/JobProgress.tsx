import { useState } from 'react';
import { FormError } from '../../components/FormError';
import { useKeysStore } from '../../stores/keys';
import { hostsNeedingTrust, useJobsStore, type Job, type JobRequest } from '../../stores/jobs';
import { toastError } from '../../stores/ui';
import { formatDuration, OP_LABELS, PHASE_LABELS, statusWord, summaryText } from './job-text';

interface Props {
  job: Job;
  onRetry: (request: JobRequest) => void;
  onReviewHostKeys: (hostIds: string[]) => void;
}

function useJobTitle(request: JobRequest, hosts: number): string {
  const keys = useKeysStore((s) => s.keys);
  const name = (id: string) => keys.find((k) => k.id === id)?.name ?? 'a deleted key';
  const where = `${hosts} ${hosts === 1 ? 'host' : 'hosts'}`;
  switch (request.op) {
    case 'deploy':
      return `Deploy ${name(request.keyId)} to ${where}`;
    case 'audit':
      return `Audit ${where}`;
    case 'rotate':
      return `Rotate ${name(request.oldKeyId)} → ${name(request.newKeyId)} on ${where}`;
    case 'revoke':
      return `Revoke ${name(request.keyId)} from ${where}${request.force ? ' (forced)' : ''}`;
  }
}

/** One row per host, live while the job runs; a failed host shows its error and never hides the others. */
export function JobProgress({ job, onRetry, onReviewHostKeys }: Props) {
  const cancel = useJobsStore((s) => s.cancel);
  const dismiss = useJobsStore((s) => s.dismiss);
  const [cancelError, setCancelError] = useState(false);
  const title = useJobTitle(job.request, job.rows.length);
  const running = job.state === 'running' || job.state === 'cancelling';
  const finished = job.rows.filter((r) => r.phase === 'done' || r.phase === 'failed').length;
  const failedIds = job.rows.filter((r) => r.phase === 'failed').map((r) => r.hostId);
  const trust = hostsNeedingTrust(job);

  const onCancel = async () => {
    try {
      await cancel();
    } catch (e) {
      setCancelError(true);
      toastError('Could not cancel the job', e);
    }
  };

  return (
    <section className="job card" aria-labelledby="job-title" data-testid="job" data-state={job.state} data-op={job.request.op}>
      <header className="job-header">
        <div>
          <h2 id="job-title">{title}</h2>
          <p className="small muted" aria-live="polite">
            {running ? (
              <>
                {job.state === 'cancelling' ? 'Cancelling… ' : 'Running… '}
                {finished} of {job.rows.length} finished
              </>
            ) : job.finishedAt ? (
              `Took ${formatDuration(job.finishedAt - job.startedAt)}`
            ) : null}
          </p>
        </div>
        <div className="row-actions">
          {running ? (
            <button type="button" className="btn btn-secondary" onClick={() => void onCancel()} disabled={job.state === 'cancelling' && !cancelError} data-testid="job-cancel">
              {job.state === 'cancelling' ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : (
            <button type="button" className="btn btn-ghost" onClick={dismiss} data-testid="job-dismiss">
              Clear
            </button>
          )}
        </div>
      </header>
      {running ? <progress className="job-bar" max={job.rows.length} value={finished} aria-label="Hosts finished" /> : null}

      {job.summary ? (
        <div className={`job-summary${job.summary.failed > 0 ? ' has-failures' : ''}`} role="status" data-testid="job-summary">
          <strong>{OP_LABELS[job.request.op]}:</strong> <span data-testid="job-summary-text">{summaryText(job.request.op, job.summary, job.rows)}</span>
          <div className="row-actions push-right">
            {trust.length > 0 ? (
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => onReviewHostKeys(trust)} data-testid="job-review-host-keys">
                Review host keys ({trust.length})
              </button>
            ) : null}
            {failedIds.length > 0 ? (
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => onRetry({ ...job.request, hostIds: failedIds })} data-testid="job-retry-failed">
                Retry {failedIds.length} failed
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
      {job.error ? <FormError testId="job-error" message={`The job did not run: ${job.error.message}`} code={job.error.code} /> : null}

      <div className="table-scroll">
        <table className="data-table job-table" data-testid="job-table">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Phase</th>
              <th scope="col">Result</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {job.rows.map((r) => (
              <tr key={r.hostId} className={`phase-${r.phase}`} data-testid="job-row" data-host-name={r.name} data-phase={r.phase} data-status={r.status ?? ''} data-error-code={r.error?.code ?? ''}>
                <th scope="row" className="cell-name">
                  {r.name}
                </th>
                <td className="nowrap">
                  <span className={`phase phase-badge-${r.phase}`}>{PHASE_LABELS[r.phase]}</span>
                </td>
                <td className="nowrap" data-testid="job-row-status">
                  {r.status ? <span className={`status status-${r.status}`}>{statusWord(r.status)}</span> : <span className="muted">—</span>}
                </td>
                <td className="job-details" data-testid="job-row-details">
                  {r.error ? (
                    <span className="job-error" data-testid="job-row-error">
                      <code className="error-code">{r.error.code}</code> {r.error.message}
                      {r.detail ? <span className="muted"> ({r.detail})</span> : null}
                    </span>
                  ) : (
                    <span className="muted">
                      {[r.account ? `account ${r.account}` : '', r.detail ?? '', r.durationMs !== undefined ? formatDuration(r.durationMs) : ''].filter(Boolean).join(' · ')}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
