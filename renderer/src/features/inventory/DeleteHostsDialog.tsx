import { useState } from 'react';
import type { Host } from '../../../../shared/domain/host';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { useHostsStore } from '../../stores/hosts';
import { toastSuccess } from '../../stores/ui';

const LISTED = 8;

interface Props {
  hosts: readonly Host[];
  /** How many of them the current filter hides: deleting what you cannot see deserves a warning. */
  hiddenCount: number;
  onClose: () => void;
}

export function DeleteHostsDialog({ hosts, hiddenCount, onClose }: Props) {
  const remove = useHostsStore((s) => s.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const n = hosts.length;
  const noun = n === 1 ? 'host' : 'hosts';

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const deleted = await remove(hosts.map((h) => h.id));
      toastSuccess(`Deleted ${deleted} ${deleted === 1 ? 'host' : 'hosts'}`);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Delete ${n} ${noun}?`}
      onClose={onClose}
      busy={busy}
      size="sm"
      testId="delete-dialog"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-autofocus="" data-testid="delete-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={confirm} disabled={busy || n === 0} data-testid="confirm-delete">
            {busy ? 'Deleting…' : `Delete ${n} ${noun}`}
          </button>
        </>
      }
    >
      <p>
        This removes {n === 1 ? 'it' : 'them'} from the Bulwark inventory. Nothing changes on the machines themselves.
      </p>
      <ul className="name-list" data-testid="delete-names">
        {hosts.slice(0, LISTED).map((h) => (
          <li key={h.id} className="mono">
            {h.name}
          </li>
        ))}
        {n > LISTED ? <li className="muted">and {n - LISTED} more</li> : null}
      </ul>
      {hiddenCount > 0 ? (
        <p className="warning-text" data-testid="delete-hidden-warning">
          {hiddenCount} of the selected {hiddenCount === 1 ? 'host is' : 'hosts are'} not shown by the current search or tag filter.
        </p>
      ) : null}
      <FormError testId="delete-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
    </Dialog>
  );
}
