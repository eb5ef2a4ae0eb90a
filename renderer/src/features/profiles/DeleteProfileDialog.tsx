import { useState } from 'react';
import type { ProfileView } from '../../../../shared/domain/hardening';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { useProfilesStore } from '../../stores/profiles';
import { toastSuccess } from '../../stores/ui';

/** Only custom profiles reach here; run history keeps the profile's id, not the profile. */
export function DeleteProfileDialog({ profile, onClose, onDeleted }: { profile: ProfileView; onClose: () => void; onDeleted: () => void }) {
  const remove = useProfilesStore((s) => s.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await remove(profile.id);
      toastSuccess(`Deleted ${profile.name}`);
      onDeleted();
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Delete ${profile.name}?`}
      onClose={onClose}
      busy={busy}
      size="sm"
      testId="delete-profile-dialog"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-autofocus="" data-testid="delete-profile-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={() => void confirm()} disabled={busy} data-testid="delete-profile-confirm">
            {busy ? 'Deleting…' : 'Delete profile'}
          </button>
        </>
      }
    >
      <p>
        The profile <code>{profile.id}</code> is removed from the vault. Hosts it was applied to keep their settings, and past runs stay in the
        history. Export it as YAML first if you may want it back.
      </p>
      <FormError testId="delete-profile-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
    </Dialog>
  );
}
