import { ConfirmDeleteDialog } from '../../components/ConfirmDeleteDialog';
import { useProxmoxStore } from '../../stores/proxmox';
import { toastSuccess } from '../../stores/ui';

interface Props {
  id: string;
  name: string;
  onClose: () => void;
}

export function DeleteEndpointDialog({ id, name, onClose }: Props) {
  const remove = useProxmoxStore((s) => s.remove);
  return (
    <ConfirmDeleteDialog
      title={`Delete ${name}?`}
      confirmLabel="Delete endpoint"
      onConfirm={async () => {
        await remove(id);
        toastSuccess(`${name} deleted`);
      }}
      onClose={onClose}
      testIds={{ dialog: 'pve-delete-dialog', cancel: 'pve-delete-cancel', confirm: 'pve-delete-confirm', error: 'pve-delete-error' }}
    >
      <p>Bulwark forgets this endpoint and its token. Nothing changes on the Proxmox side, and inventory hosts stay.</p>
    </ConfirmDeleteDialog>
  );
}
