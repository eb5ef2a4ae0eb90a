import type { ImportReport } from '../../../../shared/domain/host';
import type { KeysImportReport, SshConfigImportReport } from '../../../../shared/domain/ssh-config-import';

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

/** One row per key file: what happened to it and why. */
function keyRows(k: KeysImportReport): { result: string; path: string; detail: string }[] {
  return [
    ...k.imported.map((i) => ({ result: 'Imported', path: i.path, detail: `as ${i.name} (${i.fingerprint})` })),
    ...k.reused.map((r) => ({ result: 'Already in the vault', path: r.path, detail: `as ${r.name}` })),
    ...k.needPassphrase.map((p) => ({ result: 'Skipped', path: p, detail: 'encrypted: no passphrase given' })),
    ...k.failed.map((f) => ({ result: 'Failed', path: f.path, detail: f.reason })),
    ...k.warnings.map((w) => ({ result: 'Warning', path: w.path, detail: w.message })),
  ];
}

function KeysSection({ keys }: { keys: KeysImportReport }) {
  const rows = keyRows(keys);
  return (
    <>
      <section className="report-section">
        <h3>
          Keys <span className="count">{keys.imported.length + keys.reused.length}</span>
        </h3>
        <p className="muted small" data-testid="import-report-keys-summary">
          {keys.imported.length} imported · {keys.reused.length} already in the vault · {keys.needPassphrase.length} skipped · {keys.failed.length} failed
        </p>
        {rows.length === 0 ? (
          <p className="muted small">No IdentityFile keys named.</p>
        ) : (
          <table className="report-table" data-testid="import-report-keys">
            <thead>
              <tr>
                <th scope="col">Result</th>
                <th scope="col">Key file</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, MAX_ROWS).map((r, i) => (
                <tr key={`${r.path}-${i}`} data-result={r.result}>
                  <td>{r.result}</td>
                  <td className="mono">{r.path}</td>
                  <td>{r.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="report-section">
        <h3>
          Login keys set <span className="count">{keys.linked.length}</span>
        </h3>
        {keys.linked.length === 0 ? (
          <p className="muted small">None.</p>
        ) : (
          <table className="report-table" data-testid="import-report-linked">
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Logs in with</th>
              </tr>
            </thead>
            <tbody>
              {keys.linked.slice(0, MAX_ROWS).map((l) => (
                <tr key={l.host}>
                  <td className="mono">{l.host}</td>
                  <td className="mono">{l.key}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {keys.linked.length > MAX_ROWS ? <p className="muted small">…and {keys.linked.length - MAX_ROWS} more.</p> : null}
      </section>
    </>
  );
}

/** What an import did, host by host: added, updated, and skipped with the reason; for ssh_config also its keys. */
export function ImportReportView({ report }: { report: ImportReport | SshConfigImportReport }) {
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
      {'keys' in report ? <KeysSection keys={report.keys} /> : null}
    </div>
  );
}
