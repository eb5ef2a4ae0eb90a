import { useMemo } from 'react';
import type { AuditReply } from '../../stores/jobs';
import { buildAuditMatrix, type MatrixGrant } from './audit-matrix';

function Grant({ grant }: { grant: MatrixGrant }) {
  const restricted = grant.optionNames.length > 0;
  return (
    <li className={`grant${restricted ? ' is-restricted' : ''}`} title={restricted ? `${grant.account}: ${grant.options}` : grant.account} data-testid="audit-grant" data-account={grant.account} data-options={grant.options}>
      <span className="grant-account">{grant.account}</span>
      {grant.optionNames.map((o) => (
        <span key={o} className="grant-option mono">
          {o}
        </span>
      ))}
    </li>
  );
}

/** Keys × hosts; a cell lists the accounts that key logs in as. Unknown keys come first, flagged. */
export function AuditMatrixView({ reply, hostOrder }: { reply: AuditReply; hostOrder: readonly string[] }) {
  const matrix = useMemo(() => buildAuditMatrix(reply, hostOrder), [reply, hostOrder]);
  const failed = matrix.columns.filter((c) => c.status === 'failed');
  const withProblems = matrix.columns.filter((c) => c.problems.length > 0);

  return (
    <section className="audit card" aria-labelledby="audit-title" data-testid="audit-matrix">
      <header className="card-header">
        <h2 id="audit-title">Who can log in where</h2>
        <p className="muted">
          {matrix.keys.length} {matrix.keys.length === 1 ? 'key' : 'keys'} found on {matrix.columns.length - failed.length} of {matrix.columns.length} hosts.{' '}
          {matrix.unknownCount > 0 ? (
            <strong className="warning-text" data-testid="audit-unknown-count">
              {matrix.unknownCount} {matrix.unknownCount === 1 ? 'key is' : 'keys are'} not in the vault: check who owns {matrix.unknownCount === 1 ? 'it' : 'them'}.
            </strong>
          ) : (
            'Every key found is in the vault.'
          )}
        </p>
      </header>
      <div className="audit-scroll">
        <table className="data-table audit-table">
          <thead>
            <tr>
              <th scope="col" className="audit-key-col">
                Key
              </th>
              {matrix.columns.map((c) => (
                <th key={c.host} scope="col" className={`audit-host${c.status === 'failed' ? ' is-failed' : ''}`} data-testid="audit-host" data-host={c.host} data-status={c.status}>
                  <span className="audit-host-name">{c.host}</span>
                  {c.status === 'failed' && c.error ? (
                    <span className="audit-host-error" title={c.error.message}>
                      <code className="error-code">{c.error.code}</code>
                    </span>
                  ) : null}
                  {c.problems.length > 0 ? (
                    <span className="audit-host-problem" title={c.problems.map((p) => `${p.account}: ${p.message}`).join('\n')}>
                      ⚠ {c.problems.length} {c.problems.length === 1 ? 'problem' : 'problems'}
                    </span>
                  ) : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.keys.map((k) => {
              const known = k.knownKeyId !== null;
              return (
                <tr key={k.fingerprint} className={known ? undefined : 'is-unknown'} data-testid="audit-key" data-known={known} data-fingerprint={k.fingerprint} data-key-name={k.knownKeyName ?? ''}>
                  <th scope="row" className="audit-key-col">
                    {known ? (
                      <span className="audit-key-name">{k.knownKeyName}</span>
                    ) : (
                      <span className="audit-key-name unknown-key">
                        <span aria-hidden="true">⚠ </span>Unknown key
                      </span>
                    )}
                    <span className="muted small">
                      {' '}
                      {k.type}
                    </span>
                    <span className="mono small audit-fp" data-testid="audit-key-fingerprint">
                      {k.fingerprint}
                    </span>
                    {k.comments.length > 0 ? (
                      <span className="small muted audit-comment" data-testid="audit-key-comment">
                        {k.comments.join(', ')}
                      </span>
                    ) : null}
                  </th>
                  {matrix.columns.map((c) => {
                    const grants = k.cells.get(c.host);
                    return (
                      <td key={c.host} className="audit-cell" data-testid="audit-cell" data-host={c.host} data-accounts={grants?.map((g) => g.account).join(',') ?? ''}>
                        {grants ? (
                          <ul className="grants" aria-label={`${k.knownKeyName ?? 'Unknown key'} on ${c.host}`}>
                            {grants.map((g, i) => (
                              <Grant key={`${g.account}-${i}`} grant={g} />
                            ))}
                          </ul>
                        ) : c.status === 'failed' ? (
                          <span className="muted" aria-label="not read">
                            ?
                          </span>
                        ) : (
                          <span className="muted" aria-label="none">
                            ·
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
            {matrix.keys.length === 0 ? (
              <tr>
                <td colSpan={matrix.columns.length + 1} className="muted">
                  No authorized_keys lines found.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {failed.length > 0 || withProblems.length > 0 ? (
        <div className="card-body audit-notes" data-testid="audit-notes">
          {failed.map((c) => (
            <p key={c.host} className="audit-note is-failed" data-testid="audit-host-error" data-host={c.host}>
              <strong>{c.host}</strong> was not read: <code className="error-code">{c.error?.code}</code> {c.error?.message}
            </p>
          ))}
          {withProblems.map((c) =>
            c.problems.map((p, i) => (
              <p key={`${c.host}-${p.account}-${i}`} className="audit-note" data-testid="audit-problem" data-host={c.host}>
                <strong>{c.host}</strong> · {p.account === '*' ? 'accounts' : <span className="mono">{p.account}</span>}: {p.message}
              </p>
            )),
          )}
        </div>
      ) : null}
    </section>
  );
}
