import type { GroupedPlan, RunMode } from '../../../../shared/domain/hardening';
import { CommandList, DiffView } from './DiffView';
import { plural } from './run-text';

const LISTED = 12;

function HostNames({ hosts, testId }: { hosts: readonly string[]; testId: string }) {
  return (
    <p className="plan-hosts small" data-testid={testId}>
      {hosts.slice(0, LISTED).map((h) => (
        <span key={h} className="plan-host mono">
          {h}
        </span>
      ))}
      {hosts.length > LISTED ? <span className="muted"> and {hosts.length - LISTED} more</span> : null}
    </p>
  );
}

/**
 * The grouped plan: hosts with identical changes share one entry ("3 hosts: this change"), then
 * the hosts with nothing to change, refusals with their fix, failures and skips with reasons.
 * After an apply the same grouping shows what was written.
 */
export function PlanReview({ grouped, mode }: { grouped: GroupedPlan; mode: RunMode }) {
  const changed = grouped.changes.reduce((n, g) => n + g.hosts.length, 0);
  const applied = mode === 'apply';
  const overview =
    grouped.changes.length === 0
      ? applied
        ? 'No host was changed.'
        : 'No host has anything to change.'
      : `${plural(changed, 'host')} ${applied ? 'changed' : 'to change'}, in ${plural(grouped.changes.length, 'distinct change')}.`;
  return (
    <section className="plan card" aria-labelledby="plan-title" data-testid="plan-review">
      <header className="card-header">
        <h2 id="plan-title">{applied ? 'What the apply changed' : 'Plan review'}</h2>
        {mode === 'plan' ? (
          <p className="muted" data-testid="plan-touches-nothing">
            A plan reads each host and touches nothing. Apply does exactly this, after a fresh plan.
          </p>
        ) : null}
        <p data-testid="plan-overview">
          {overview} {grouped.unchanged.length > 0 ? `${plural(grouped.unchanged.length, 'host')} with nothing to change.` : ''}
        </p>
      </header>
      <div className="card-body">
        {grouped.changes.map((g) => (
          <article key={g.key} className={`plan-group${g.cutsAccess ? ' cuts-access' : ''}`} data-testid="plan-group" data-hosts-count={g.hosts.length} data-cuts-access={g.cutsAccess}>
            <header className="plan-group-header">
              <h3>
                {plural(g.hosts.length, 'host')}: {g.files.length > 0 ? plural(g.files.length, 'file') : ''}
                {g.files.length > 0 && g.commands.length > 0 ? ', ' : ''}
                {g.commands.length > 0 ? plural(g.commands.length, 'command') : ''}
              </h3>
              {g.cutsAccess ? (
                <span className="cuts-access-badge" data-testid="plan-cuts-access" title="The dead-man switch is armed while this change is verified">
                  can cut SSH access: dead-man switch armed
                </span>
              ) : null}
            </header>
            <HostNames hosts={g.hosts} testId="plan-group-hosts" />
            {g.files.map((f) => (
              <DiffView key={f.path} file={f} />
            ))}
            {g.commands.length > 0 ? (
              <div>
                <h4 className="small">Then runs, in order</h4>
                <CommandList commands={g.commands} />
              </div>
            ) : null}
          </article>
        ))}

        {grouped.unchanged.length > 0 ? (
          <div className="plan-section" data-testid="plan-unchanged" data-count={grouped.unchanged.length}>
            <h3>
              <span className="run-status run-status-unchanged">unchanged</span> {plural(grouped.unchanged.length, 'host')}: nothing to change
            </h3>
            <HostNames hosts={grouped.unchanged} testId="plan-unchanged-hosts" />
          </div>
        ) : null}

        {grouped.refused.map((r, i) => (
          <div key={`${r.control}-${i}`} className="notice notice-warning" data-testid="plan-refused" data-control={r.control}>
            <strong>
              {r.control} refused on {plural(r.hosts.length, 'host')}
            </strong>
            <span>{r.reason}</span>
            <span>
              <strong>Fix:</strong> {r.fix}
            </span>
            <HostNames hosts={r.hosts} testId="plan-refused-hosts" />
          </div>
        ))}

        {grouped.failed.length > 0 ? (
          <div className="notice notice-danger" data-testid="plan-failed">
            <strong>{plural(grouped.failed.length, 'host')} failed</strong>
            <ul>
              {grouped.failed.map((f) => (
                <li key={f.host}>
                  <span className="mono">{f.host}</span>: {f.reason}
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        {grouped.skipped.length > 0 ? (
          <div className="notice" data-testid="plan-skipped">
            <strong>{plural(grouped.skipped.length, 'host')} skipped</strong>
            <ul>
              {grouped.skipped.map((f) => (
                <li key={f.host}>
                  <span className="mono">{f.host}</span>: {f.reason}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </section>
  );
}
