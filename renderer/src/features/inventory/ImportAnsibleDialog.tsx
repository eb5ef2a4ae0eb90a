import { useId, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { useHostsStore } from '../../stores/hosts';
import { ImportReportView } from './ImportReportView';
import { readLimited, useImport } from './useImport';

const MAX_CHARS = 50_000_000;

export function ImportAnsibleDialog({ onClose }: { onClose: () => void }) {
  const importAnsible = useHostsStore((s) => s.importAnsible);
  const { busy, error, report, run } = useImport();
  const [file, setFile] = useState<File | null>(null);
  const inputId = useId();

  return (
    <Dialog
      title="Import Ansible inventory"
      onClose={onClose}
      busy={busy}
      size="lg"
      testId="import-ansible-dialog"
      description={
        <p>
          Reads an INI or YAML inventory, the two formats Ansible itself reads. A host whose name already exists is updated; entries that cannot
          become a host are skipped with the reason.
        </p>
      }
      footer={
        report ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="import-done">
            Done
          </button>
        ) : (
          <>
            <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="import-cancel">
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!file || busy}
              // The file name tells main whether to parse INI or YAML when the text is ambiguous.
              onClick={() => file && void run(async () => importAnsible(await readLimited(file, MAX_CHARS), file.name.slice(0, 255)))}
              data-testid="import-ansible-submit"
            >
              {busy ? 'Importing…' : 'Import'}
            </button>
          </>
        )
      }
    >
      {report ? (
        <ImportReportView report={report} />
      ) : (
        <div className="stack">
          <div className="field">
            <label htmlFor={inputId}>Inventory file</label>
            <input id={inputId} type="file" className="file-input" onChange={(e) => setFile(e.target.files?.[0] ?? null)} disabled={busy} data-testid="import-ansible-file" />
          </div>
          <FormError testId="import-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
        </div>
      )}
    </Dialog>
  );
}
