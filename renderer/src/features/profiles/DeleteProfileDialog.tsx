import type { ProfileView } from '../../../../shared/domain/hardening';
import { ConfirmDeleteDialog } from '../../components/ConfirmDeleteDialog';
import { useProfilesStore } from '../../stores/profiles';
import { toastSuccess } from '../../stores/ui';

const TEST_IDS = { dialog: 'delete-profile-dialog', cancel: 'delete-profile-cancel', confirm: 'delete-profile-confirm', error: 'delete-profile-error' };

/** Only custom profiles reach here; run history keeps the profile's id, not the profile. */
export function DeleteProfileDialog({ profile, onClose, onDeleted }: { profile: ProfileView; onClose: () => void; onDeleted: () => void }) {
  const remove = useProfilesStore((s) => s.remove);

  const confirm = async () => {
    await remove(profile.id);
    toastSuccess(`Deleted ${profile.name}`);
    onDeleted();
  };

  return (
    <ConfirmDeleteDialog title={`Delete ${profile.name}?`} confirmLabel="Delete profile" onConfirm={confirm} onClose={onClose} testIds={TEST_IDS}>
      <p>
        The profile <code>{profile.id}</code> is removed from the vault. Hosts it was applied to keep their settings, and past runs stay in the
        history. Export it as YAML first if you may want it back.
      </p>
    </ConfirmDeleteDialog>
  );
}
