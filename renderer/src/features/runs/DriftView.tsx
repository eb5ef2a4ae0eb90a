import { useEffect, useMemo, useState } from 'react';
import type { RunListEntry, RunReply } from '../../../../shared/domain/hardening';
import { call } from '../../bridge';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { buildDrift, driftRunIds } from './drift';
import { formatWhen, MODE_LABELS } from './run-text';

/** Score per host across the profile's audit and apply runs, oldest to newest, with the change. */
export function DriftView({ profileId, profileName, history }: { profileId: string; profileName: string; history: readonly RunListEntry[] }) {
  const ids = useMemo(() => driftRunIds(history, profileId), [history, profileId]);
  const key = ids.join(',');
  const [state, setState] = useState<{ key: string; replies: RunReply[] | null; error: unknown }>({ key: '', replies: null, error: null });

  useEffect(() => {
    let live = true;
    if (ids.length === 0) return;
    Promise.all(ids.map((id) => call('runs:get', { id })))
      .then((replies) => live && setState({ key, replies, error: null }))
      .catch((error: unknown) => live && setState({ key, replies: null, error }));
    return () => {
      live = false;
    };
    // `key` stands for `ids`: a new array with the same runs must not read them again
  }, [key]);

  const drift = useMemo(() => (state.replies && state.key === key ? buildDrift(state.replies, profileId) : null), [state, key, profileId]);

  return (
    <section className="card drift" aria-labelledby="drift-title" data-testid="drift">
      <header className="card-header">
        <h2 id="drift-title">Drift: {profileName}</h2>
        <p className="muted">Each host's score in the last {ids.length > 1 ? ids.length : ''} audit and apply runs of this profile, oldest first.</p>
      </header>
      <div className="card-body">
        {ids.length === 0 ? <p className="muted" data-testid="drift-empty">No audit or apply run of this profile yet.</p> : null}
        {state.error && state.key === key ? <FormError testId="drift-error" message={`Could not read the runs: ${messageOf(state.error)}`} code={codeOf(state.error)} /> : null}
        {ids.length > 0 && !drift && !state.error ? <p className="muted">Reading {ids.length} runs…</p> : null}
        {drift ? (
          <div className="table-scroll">
            <table className="data-table drift-table">
              <thead>
                <tr>
                  <th scope="col">Host</th>
                  {drift.runs.map((r) => (
                    <th key={r.id} scope="col" className="nowrap small" title={r.id}>
                      {MODE_LABELS[r.mode]}
                      <span className="muted block">{formatWhen(r.startedAt)}</span>
                    </th>
                  ))}
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {drift.hosts.map((h) => (
                  <tr key={h.host} data-testid="drift-row" data-host={h.host} data-points={h.points.map((p) => (p === null ? '' : p)).join(',')}>
                    <th scope="row" className="mono">
                      {h.host}
                    </th>
                    {h.points.map((p, i) => (
                      <td key={drift.runs[i]!.id} className={`nowrap ${p === null ? 'muted' : p === 100 ? 'score-full' : p >= 50 ? 'score-mid' : 'score-low'}`}>
                        {p === null ? '—' : `${p}%`}
                      </td>
                    ))}
                    <td className="nowrap" data-testid="drift-change">
                      {h.change === null ? (
                        <span className="muted">—</span>
                      ) : h.change > 0 ? (
                        <span className="score-full">▲ +{h.change}</span>
                      ) : h.change < 0 ? (
                        <span className="score-low">▼ {h.change}</span>
                      ) : (
                        <span className="muted">= 0</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </section>
  );
}
