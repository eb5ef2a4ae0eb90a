import { Fragment, useState } from 'react';
import type { ControlResult, HostRunResult, RunMode } from '../../../../shared/domain/hardening';
import { CELL_SYMBOL, CELL_TEXT, scoreOf } from './compliance';
import { CommandList, DiffView } from './DiffView';
import { formatDuration, scoreText, STATUS_LABELS } from './run-text';

function ControlList({ controls, title }: { controls: readonly ControlResult[]; title: string }) {
  return (
    <div className="host-controls">
      <h4 className="small">{title}</h4>
      <ul className="control-results">
        {controls.map((c) => (
          <li key={c.id} data-testid="host-control" data-control={c.id} data-status={c.status}>
            <span className={`cell-badge cell-${c.status}`}>
              <span aria-hidden="true">{CELL_SYMBOL[c.status]} </span>
              {CELL_TEXT[c.status]}
            </span>{' '}
            <strong>{c.title}</strong>
            {c.refused ? (
              <div className="notice notice-warning small" data-testid="host-control-refused">
                <span>
                  <strong>Refused:</strong> {c.refused.reason}
                </span>
                <span>
                  <strong>Fix:</strong> {c.refused.fix}
                </span>
              </div>
            ) : null}
            {c.evidence.length > 0 ? (
              <ul className="evidence mono small">
                {c.evidence.map((e, i) => (
                  <li key={i}>{e}</li>
                ))}
              </ul>
            ) : null}
            {c.notes.length > 0 ? (
              <ul className="notes small muted">
                {c.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function HostDetail({ r }: { r: HostRunResult }) {
  const timings = Object.entries(r.timings ?? {});
  return (
    <div className="host-detail" data-testid="host-detail">
      {r.reason ? <p className="host-reason">{r.reason}</p> : null}
      <div className="host-detail-columns">
        {r.controls.length > 0 ? <ControlList controls={r.controls} title={r.after ? 'Before' : 'Checks'} /> : <p className="muted">The host could not be read: no checks.</p>}
        {r.after ? <ControlList controls={r.after} title="After (fresh connection)" /> : null}
      </div>
      {r.files.length > 0 ? (
        <div>
          <h4 className="small">Files{r.cutsAccess ? ' (can cut SSH access: dead-man switch armed while verified)' : ''}</h4>
          {r.files.map((f) => (
            <DiffView key={f.path} file={f} />
          ))}
        </div>
      ) : null}
      {r.commands.length > 0 ? (
        <div>
          <h4 className="small">Commands</h4>
          <CommandList commands={r.commands} testId="host-command" />
        </div>
      ) : null}
      {timings.length > 0 ? (
        <p className="small muted" data-testid="host-timings">
          {timings.map(([step, ms]) => `${step} ${formatDuration(ms)}`).join(' · ')}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Computed here from the checks themselves: the record's own `score` is one number, and an apply
 * has two states worth showing side by side.
 */
function HostScore({ r }: { r: HostRunResult }) {
  if (r.controls.length === 0) return <span className="muted">—</span>;
  const before = scoreText(scoreOf(r.controls));
  if (!r.after || r.after.length === 0) return <>{before}</>;
  return (
    <>
      {before} → <strong>{scoreText(scoreOf(r.after))}</strong>
    </>
  );
}

/** One row per host: status, reason, new port, duration, score; a row opens to its full detail. */
export function HostResults({ results, mode }: { results: readonly HostRunResult[]; mode: RunMode }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const showPort = results.some((r) => r.newPort !== undefined);
  const cols = showPort ? 6 : 5;
  return (
    <section className="card host-results" aria-labelledby="host-results-title" data-testid="host-results">
      <header className="card-header">
        <h2 id="host-results-title">Hosts</h2>
      </header>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
              {showPort ? <th scope="col">New port</th> : null}
              <th scope="col">Time</th>
              <th scope="col">{mode === 'apply' ? 'Score before → after' : 'Score'}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => {
              const key = r.hostId + r.host;
              const isOpen = open.has(key);
              return (
                <Fragment key={key}>
                  <tr data-testid="host-result" data-host-name={r.host} data-status={r.status}>
                    <th scope="row">
                      <button type="button" className="btn btn-link host-toggle" aria-expanded={isOpen} onClick={() => toggle(key)} data-testid="host-result-toggle">
                        <span aria-hidden="true">{isOpen ? '▾' : '▸'} </span>
                        <span className="mono">{r.host}</span>
                      </button>
                    </th>
                    <td className="nowrap">
                      <span className={`run-status run-status-${r.status}`} data-testid="host-result-status">
                        {STATUS_LABELS[r.status]}
                      </span>
                    </td>
                    <td className="host-reason-cell">{r.reason ?? <span className="muted">—</span>}</td>
                    {showPort ? <td className="mono">{r.newPort ?? ''}</td> : null}
                    <td className="nowrap">{formatDuration(r.durationMs)}</td>
                    <td className="nowrap" data-testid="host-result-score">
                      <HostScore r={r} />
                    </td>
                  </tr>
                  {isOpen ? (
                    <tr className="host-detail-row">
                      <td colSpan={cols}>
                        <HostDetail r={r} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
