import type { Host } from '../../../../shared/domain/host';
import { ConfirmDeleteDialog } from '../../components/ConfirmDeleteDialog';
import { useHostsStore } from '../../stores/hosts';
import { toastSuccess } from '../../stores/ui';

const LISTED = 8;
const TEST_IDS = { dialog: 'delete-dialog', cancel: 'delete-cancel', confirm: 'confirm-delete', error: 'delete-error' };

interface Props {
  hosts: readonly Host[];
  /** How many of them the current filter hides: deleting what you cannot see deserves a warning. */
  hiddenCount: number;
  onClose: () => void;
}

export function DeleteHostsDialog({ hosts, hiddenCount, onClose }: Props) {
  const remove = useHostsStore((s) => s.remove);
  const n = hosts.length;
  const noun = n === 1 ? 'host' : 'hosts';

  const confirm = async () => {
    const deleted = await remove(hosts.map((h) => h.id));
    toastSuccess(`Deleted ${deleted} ${deleted === 1 ? 'host' : 'hosts'}`);
  };

  return (
    <ConfirmDeleteDialog
      title={`Delete ${n} ${noun}?`}
      confirmLabel={`Delete ${n} ${noun}`}
      onConfirm={confirm}
      onClose={onClose}
      canConfirm={n > 0}
      testIds={TEST_IDS}
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
    </ConfirmDeleteDialog>
  );
}
