import { Dialog } from '../../components/Dialog';

interface Props {
  names: readonly string[];
  onConfirm: () => void;
  onClose: () => void;
}

/** Accepting a gone guest forgets it: said before it happens, with what stays. */
export function ConfirmGoneDialog({ names, onConfirm, onClose }: Props) {
  return (
    <Dialog
      title={names.length === 1 ? `Accept that ${names[0]} is gone?` : `Accept that ${names.length} guests are gone?`}
      onClose={onClose}
      size="sm"
      testId="pve-gone-dialog"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus="" data-testid="pve-gone-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={onConfirm} data-testid="pve-gone-confirm">
            Accept
          </button>
        </>
      }
    >
      <p>The guest&apos;s record is removed; its host stays in the inventory, unlinked.</p>
      {names.length > 1 ? <p className="muted">{names.join(', ')}</p> : null}
    </Dialog>
  );
}
