import { useMemo, useState } from 'react';
import type { HostRunResult, RunMode } from '../../../../shared/domain/hardening';
import { buildComplianceMatrix, CELL_SYMBOL, CELL_TEXT, type MatrixSort } from './compliance';
import { scoreText } from './run-text';

const SORTS: readonly { id: MatrixSort; label: string }[] = [
  { id: 'score-asc', label: 'Lowest score first' },
  { id: 'score-desc', label: 'Highest score first' },
  { id: 'name', label: 'Host name' },
];

/** Hosts × controls; each cell says its status in words and a symbol as well as colour. */
export function ComplianceMatrixView({ results, mode }: { results: readonly HostRunResult[]; mode: RunMode }) {
  const [sort, setSort] = useState<MatrixSort>('score-asc');
  const matrix = useMemo(() => buildComplianceMatrix(results, sort), [results, sort]);
  const afterApply = mode === 'apply' && matrix.hosts.some((h) => h.source === 'after');

  return (
    <section className="compliance card" aria-labelledby="compliance-title" data-testid="compliance-matrix">
      <header className="card-header compliance-header">
        <div>
          <h2 id="compliance-title">Compliance</h2>
          <p className="muted" data-testid="compliance-overview">
            {matrix.compliantHosts} of {matrix.readHosts} hosts read are fully compliant
            {matrix.hosts.length > matrix.readHosts ? `; ${matrix.hosts.length - matrix.readHosts} could not be read` : ''}.
            {afterApply ? ' Checked from a fresh connection after the apply.' : ''} Score = compliant of applicable controls.
          </p>
        </div>
        <label className="compliance-sort small">
          Sort{' '}
          <select className="input compliance-sort-select" value={sort} onChange={(e) => setSort(e.target.value as MatrixSort)} data-testid="matrix-sort">
            {SORTS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </header>
      <div className="compliance-scroll">
        <table className="data-table compliance-table">
          <thead>
            <tr>
              <th scope="col" className="compliance-host-col">
                Host
              </th>
              <th scope="col">Score</th>
              {matrix.controls.map((c) => (
                <th key={c.id} scope="col" className="compliance-control" title={c.id} data-testid="matrix-control" data-control={c.id}>
                  {c.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.hosts.map((h) => (
              <tr key={h.hostId + h.host} data-testid="matrix-row" data-host={h.host} data-score-percent={h.percent ?? ''} data-source={h.source}>
                <th scope="row" className="compliance-host-col">
                  <span className="mono">{h.host}</span>
                  {h.source === 'before' && mode === 'apply' ? <span className="small muted"> (before: not re-checked)</span> : null}
                </th>
                <td className="nowrap" data-testid="matrix-score">
                  {h.percent === null ? (
                    <span className="muted" title={h.reason}>
                      not read
                    </span>
                  ) : (
                    <span className={`score ${h.percent === 100 ? 'score-full' : h.percent >= 50 ? 'score-mid' : 'score-low'}`}>{scoreText(h.score)}</span>
                  )}
                </td>
                {matrix.controls.map((c) => {
                  const cell = h.cells.get(c.id);
                  if (!cell) {
                    return (
                      <td key={c.id} className="compliance-cell cell-none" data-testid="matrix-cell" data-control={c.id} data-status="">
                        <span className="muted" aria-label="not checked">
                          ·
                        </span>
                      </td>
                    );
                  }
                  return (
                    <td
                      key={c.id}
                      className={`compliance-cell cell-${cell.status}`}
                      title={[cell.refused ? `Refused: ${cell.refused.reason}` : '', ...cell.evidence].filter(Boolean).join('\n')}
                      data-testid="matrix-cell"
                      data-control={c.id}
                      data-status={cell.status}
                    >
                      <span aria-hidden="true">{CELL_SYMBOL[cell.status]} </span>
                      {CELL_TEXT[cell.status]}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
