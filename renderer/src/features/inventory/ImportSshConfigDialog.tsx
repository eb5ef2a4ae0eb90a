import { useId, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { useHostsStore } from '../../stores/hosts';
import { ImportReportView } from './ImportReportView';
import { readLimited, useImport } from './useImport';

const MAX_CHARS = 5_000_000;

export function ImportSshConfigDialog({ onClose }: { onClose: () => void }) {
  const importSshConfig = useHostsStore((s) => s.importSshConfig);
  const { busy, error, report, run } = useImport();
  const [file, setFile] = useState<File | null>(null);
  const inputId = useId();

  return (
    <Dialog
      title="Import OpenSSH config"
      onClose={onClose}
      busy={busy}
      size="lg"
      testId="import-ssh-dialog"
      description={
        <p>
          Each <code>Host</code> entry becomes an inventory host. A host whose name already exists is updated; entries that cannot become a host
          (wildcard patterns, invalid values) are skipped with the reason.
        </p>
      }
      footer={
        report ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="import-done">
            Done
          </button>
        ) : (
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="import-cancel">
            Cancel
          </button>
        )
      }
    >
      {report ? (
        <ImportReportView report={report} />
      ) : (
        <div className="stack">
          <div className="field">
            <label htmlFor={inputId}>Config file</label>
            <input id={inputId} type="file" className="file-input" onChange={(e) => setFile(e.target.files?.[0] ?? null)} disabled={busy} data-testid="import-ssh-file" />
          </div>
          <div className="row-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={!file || busy}
              onClick={() => file && void run(async () => importSshConfig(await readLimited(file, MAX_CHARS)))}
              data-testid="import-ssh-submit"
            >
              {busy ? 'Importing…' : 'Import file'}
            </button>
            <span className="muted">or</span>
            <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void run(() => importSshConfig())} data-testid="import-ssh-read-default">
              Read ~/.ssh/config
            </button>
          </div>
          <FormError testId="import-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
        </div>
      )}
    </Dialog>
  );
}
