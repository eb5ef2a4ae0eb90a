import { ConfirmDeleteDialog } from '../../components/ConfirmDeleteDialog';
import { useKeysStore, type SshKey } from '../../stores/keys';
import { toastSuccess } from '../../stores/ui';

const TEST_IDS = { dialog: 'delete-key-dialog', cancel: 'delete-key-cancel', confirm: 'delete-key-confirm', error: 'delete-key-error' };

/**
 * Deleting only forgets the key in the vault. Main refuses (CONFLICT) while hosts log in with
 * it; that message names the hosts and is shown as is.
 */
export function DeleteKeyDialog({ sshKey, onClose }: { sshKey: SshKey; onClose: () => void }) {
  const remove = useKeysStore((s) => s.remove);

  const confirm = async () => {
    await remove(sshKey.id);
    toastSuccess(`Deleted ${sshKey.name}`);
  };

  return (
    <ConfirmDeleteDialog title={`Delete ${sshKey.name}?`} confirmLabel="Delete key" onConfirm={confirm} onClose={onClose} testIds={TEST_IDS}>
      <p>
        The private key is erased from the vault and cannot be recovered unless you exported it. Hosts that have its public key in
        authorized_keys keep it: revoke it from the Fleet tab first if it should no longer open them.
      </p>
      <p className="mono small">{sshKey.fingerprint}</p>
    </ConfirmDeleteDialog>
  );
}
