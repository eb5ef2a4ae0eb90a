import type { ImportReport } from '../../../../shared/domain/host';

// A report for a huge import would otherwise put tens of thousands of rows in one dialog.
const MAX_ROWS = 1000;

function NameTable({ title, names, testId }: { title: string; names: readonly string[]; testId: string }) {
  return (
    <section className="report-section">
      <h3>
        {title} <span className="count">{names.length}</span>
      </h3>
      {names.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <table className="report-table" data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">Host</th>
            </tr>
          </thead>
          <tbody>
            {names.slice(0, MAX_ROWS).map((name, i) => (
              <tr key={`${name}-${i}`}>
                <td className="mono">{name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {names.length > MAX_ROWS ? <p className="muted small">…and {names.length - MAX_ROWS} more.</p> : null}
    </section>
  );
}

/** What an import did, host by host: added, updated, and skipped with the reason. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const { added, updated, skipped } = report;
  return (
    <div className="report" data-testid="import-report">
      <p className="report-summary" role="status" data-testid="import-report-summary">
        <strong>{added.length}</strong> added · <strong>{updated.length}</strong> updated · <strong>{skipped.length}</strong> skipped
      </p>
      <NameTable title="Added" names={added} testId="import-report-added" />
      <NameTable title="Updated" names={updated} testId="import-report-updated" />
      <section className="report-section">
        <h3>
          Skipped <span className="count">{skipped.length}</span>
        </h3>
        {skipped.length === 0 ? (
          <p className="muted small">None.</p>
        ) : (
          <table className="report-table" data-testid="import-report-skipped">
            <thead>
              <tr>
                <th scope="col">Entry</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {skipped.slice(0, MAX_ROWS).map((s, i) => (
                <tr key={`${s.name}-${i}`}>
                  <td className="mono">{s.name}</td>
                  <td>{s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {skipped.length > MAX_ROWS ? <p className="muted small">…and {skipped.length - MAX_ROWS} more.</p> : null}
      </section>
    </div>
  );
}
