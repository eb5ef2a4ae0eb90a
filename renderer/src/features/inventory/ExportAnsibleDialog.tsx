import { useCallback, useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { Icon } from '../../components/Icon';
import { copyText, downloadText } from '../../lib/clipboard';
import { codeOf, messageOf } from '../../lib/errors';
import { useHostsStore } from '../../stores/hosts';
import { toastError, toastSuccess } from '../../stores/ui';

/** INI inventories start with a [group] header somewhere; everything else here is YAML. */
function fileNameFor(text: string): string {
  return /^\s*\[[^\]]+\]\s*$/m.test(text) ? 'inventory.ini' : 'inventory.yml';
}

export function ExportAnsibleDialog({ onClose }: { onClose: () => void }) {
  const exportAnsible = useHostsStore((s) => s.exportAnsible);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    setError(null);
    exportAnsible().then(setText, setError);
  }, [exportAnsible]);
  useEffect(load, [load]);

  const copy = () =>
    text !== null &&
    copyText(text).then(
      () => toastSuccess('Inventory copied to the clipboard'),
      (e: unknown) => toastError('Could not copy the inventory', e),
    );

  return (
    <Dialog
      title="Export Ansible inventory"
      onClose={onClose}
      size="lg"
      testId="export-dialog"
      description={<p>Every inventory host, grouped by tag. Contains names, addresses, ports and users; no secrets.</p>}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-testid="export-close">
            Close
          </button>
          <button type="button" className="btn btn-secondary" onClick={copy} disabled={text === null} data-testid="export-copy">
            <Icon name="copy" /> Copy
          </button>
          <button type="button" className="btn btn-primary" onClick={() => text !== null && downloadText(text, fileNameFor(text))} disabled={text === null} data-testid="export-download">
            <Icon name="download" /> Download
          </button>
        </>
      }
    >
      {error ? (
        <div className="stack">
          <FormError testId="export-error" message={messageOf(error)} code={codeOf(error)} />
          <button type="button" className="btn btn-secondary" onClick={load}>
            Try again
          </button>
        </div>
      ) : text === null ? (
        <p className="muted" aria-busy="true">
          Building the inventory…
        </p>
      ) : (
        <textarea className="input mono export-text" readOnly value={text} rows={18} aria-label="Ansible inventory" spellCheck={false} data-testid="export-ansible-text" />
      )}
    </Dialog>
  );
}
