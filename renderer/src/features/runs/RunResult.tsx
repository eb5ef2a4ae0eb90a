import type { ProfileView, RunReply } from '../../../../shared/domain/hardening';
import { ComplianceMatrixView } from './ComplianceMatrix';
import { ExportButtons } from './ExportButtons';
import { HostResults } from './HostResults';
import { PlanReview } from './PlanReview';
import { formatDuration, formatWhen, MODE_LABELS, runSummaryText } from './run-text';

/** A finished run (just now or from history): summary, plan or changes, compliance, hosts. */
export function RunResult({ reply, profiles }: { reply: RunReply; profiles: readonly ProfileView[] }) {
  const profileName = profiles.find((p) => p.id === reply.profileId)?.name ?? reply.profileId;
  const hasFailures = reply.summary.failed > 0;
  return (
    <div className="run-result" data-testid="run-result" data-mode={reply.mode} data-run-id={reply.id}>
      <section className={`run-summary card${hasFailures ? ' has-failures' : ''}`} role="status">
        <div className="run-summary-main">
          <h2>
            {MODE_LABELS[reply.mode]}: {profileName}
          </h2>
          <p data-testid="run-summary-text">{runSummaryText(reply.mode, reply.summary, reply.cancelled)}</p>
          <p className="small muted">
            {formatWhen(reply.startedAt)} · took {formatDuration(reply.finishedAt - reply.startedAt)} · by {reply.who} via {reply.via}
            {reply.options.canary ? ` · canary ${reply.options.canary}` : ''}
            {reply.options.stopAfterFailures ? ` · stop after ${reply.options.stopAfterFailures} failed` : ''}
          </p>
        </div>
        <ExportButtons runId={reply.id} />
      </section>
      {reply.mode !== 'audit' ? <PlanReview grouped={reply.grouped} mode={reply.mode} /> : null}
      {reply.mode !== 'plan' ? <ComplianceMatrixView results={reply.results} mode={reply.mode} /> : null}
      <HostResults results={reply.results} mode={reply.mode} />
    </div>
  );
}
