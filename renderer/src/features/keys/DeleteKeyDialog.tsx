import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { useKeysStore, type SshKey } from '../../stores/keys';
import { toastSuccess } from '../../stores/ui';

/**
 * Deleting only forgets the key in the vault. Main refuses (CONFLICT) while hosts log in with
 * it; that message names the hosts and is shown as is.
 */
export function DeleteKeyDialog({ sshKey, onClose }: { sshKey: SshKey; onClose: () => void }) {
  const remove = useKeysStore((s) => s.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await remove(sshKey.id);
      toastSuccess(`Deleted ${sshKey.name}`);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Delete ${sshKey.name}?`}
      onClose={onClose}
      busy={busy}
      size="sm"
      testId="delete-key-dialog"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-autofocus="" data-testid="delete-key-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={() => void confirm()} disabled={busy} data-testid="delete-key-confirm">
            {busy ? 'Deleting…' : 'Delete key'}
          </button>
        </>
      }
    >
      <p>
        The private key is erased from the vault and cannot be recovered unless you exported it. Hosts that have its public key in
        authorized_keys keep it: revoke it from the Fleet tab first if it should no longer open them.
      </p>
      <p className="mono small">{sshKey.fingerprint}</p>
      <FormError testId="delete-key-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
    </Dialog>
  );
}
