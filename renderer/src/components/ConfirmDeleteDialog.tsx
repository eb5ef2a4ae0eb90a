import { useState, type ReactNode } from 'react';
import { codeOf, messageOf } from '../lib/errors';
import { Dialog } from './Dialog';
import { FormError } from './FormError';

interface Props {
  title: string;
  /** The danger button's label; it reads "Deleting…" while the call is in flight. */
  confirmLabel: string;
  /** Deletes, and says so (toast); the dialog closes once it resolves and shows what it throws. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
  /** What the deletion does and does not touch. */
  children: ReactNode;
  canConfirm?: boolean;
  testIds: { dialog: string; cancel: string; confirm: string; error: string };
}

/**
 * "Delete X?": Cancel has the focus, so Enter does not destroy anything, and a refusal from main
 * stays in the dialog (as is: it may name what blocks the deletion) instead of closing it.
 */
export function ConfirmDeleteDialog({ title, confirmLabel, onConfirm, onClose, children, canConfirm = true, testIds }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={title}
      onClose={onClose}
      busy={busy}
      size="sm"
      testId={testIds.dialog}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-autofocus="" data-testid={testIds.cancel}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={() => void confirm()} disabled={busy || !canConfirm} data-testid={testIds.confirm}>
            {busy ? 'Deleting…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      <FormError testId={testIds.error} message={error ? messageOf(error) : null} code={codeOf(error)} />
    </Dialog>
  );
}
