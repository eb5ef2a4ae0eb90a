import { useEffect, useState } from 'react';
import type { ProfileView } from '../../../../shared/domain/hardening';
import { FormError } from '../../components/FormError';
import { Icon } from '../../components/Icon';
import { useProfilesStore } from '../../stores/profiles';
import { DeleteProfileDialog } from './DeleteProfileDialog';
import { ExportProfileDialog, type ExportFormat } from './ExportProfileDialog';
import { ImportProfileDialog } from './ImportProfileDialog';
import { ProfileDetail } from './ProfileDetail';
import { ProfileEditorDialog } from './ProfileEditorDialog';
import { ProfileList } from './ProfileList';

type ProfileDialog =
  | { kind: 'create' }
  | { kind: 'edit' | 'copy'; profile: ProfileView }
  | { kind: 'delete'; profile: ProfileView }
  | { kind: 'export'; profile: ProfileView; format: ExportFormat }
  | { kind: 'import' }
  | null;

/** The selection survives leaving the section, like the Keys view's tab. */
let lastSelected: string | null = null;

export function ProfilesView() {
  const profiles = useProfilesStore((s) => s.profiles);
  const catalog = useProfilesStore((s) => s.catalog);
  const loadState = useProfilesStore((s) => s.loadState);
  const loadError = useProfilesStore((s) => s.loadError);
  const load = useProfilesStore((s) => s.load);
  const [selectedId, setSelectedState] = useState<string | null>(lastSelected);
  const [dialog, setDialog] = useState<ProfileDialog>(null);

  const select = (id: string | null) => {
    lastSelected = id;
    setSelectedState(id);
  };

  useEffect(() => {
    useProfilesStore.getState().ensureLoaded();
  }, []);

  // A deleted or vanished selection falls back to the first profile, so the detail is never empty.
  const selected = profiles.find((p) => p.id === selectedId) ?? profiles[0] ?? null;
  const close = () => setDialog(null);
  const ready = loadState === 'ready' && catalog.length > 0;

  return (
    <div className="profiles-view" data-testid="profiles-view">
      <div className="toolbar">
        <p className="muted profiles-intro">Named sets of hardening controls to audit, plan and apply from Runs. Built-in profiles are read-only: copy one to customise it.</p>
        <div className="toolbar-actions">
          <button type="button" className="btn btn-secondary" onClick={() => setDialog({ kind: 'import' })} disabled={!ready} data-testid="profile-import-button">
            <Icon name="upload" /> Import YAML…
          </button>
          <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'create' })} disabled={!ready} data-testid="profile-new-button">
            <Icon name="plus" /> New profile…
          </button>
        </div>
      </div>

      {loadState === 'error' && loadError ? (
        <div className="empty-state">
          <FormError testId="profiles-load-error" message={`Could not load the profiles: ${loadError.message}`} code={loadError.code} />
          <button type="button" className="btn btn-secondary" onClick={() => void load()}>
            Try again
          </button>
        </div>
      ) : !selected ? (
        <p className="muted profiles-loading" aria-busy="true" data-testid="profiles-loading">
          Loading profiles…
        </p>
      ) : (
        <div className="profiles-body">
          <ProfileList profiles={profiles} selectedId={selected.id} onSelect={select} />
          <ProfileDetail
            key={selected.id}
            profile={selected}
            catalog={catalog}
            onEdit={() => setDialog({ kind: 'edit', profile: selected })}
            onCopy={() => setDialog({ kind: 'copy', profile: selected })}
            onDelete={() => setDialog({ kind: 'delete', profile: selected })}
            onExport={(format) => setDialog({ kind: 'export', profile: selected, format })}
          />
        </div>
      )}

      {dialog?.kind === 'create' ? <ProfileEditorDialog mode="create" onClose={close} onSaved={select} /> : null}
      {dialog?.kind === 'edit' || dialog?.kind === 'copy' ? <ProfileEditorDialog mode={dialog.kind} source={dialog.profile} onClose={close} onSaved={select} /> : null}
      {dialog?.kind === 'delete' ? <DeleteProfileDialog profile={dialog.profile} onClose={close} onDeleted={() => select(null)} /> : null}
      {dialog?.kind === 'export' ? <ExportProfileDialog profile={dialog.profile} format={dialog.format} onClose={close} /> : null}
      {dialog?.kind === 'import' ? <ImportProfileDialog onClose={close} onImported={select} /> : null}
    </div>
  );
}
