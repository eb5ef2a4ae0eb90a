import { useState } from 'react';
import { Icon } from '../../components/Icon';
import { ExportVaultDialog } from './ExportVaultDialog';
import { ImportVaultDialog } from './ImportVaultDialog';
import { SettingsCard } from './SettingsCard';

export function VaultTransferSetting() {
  const [open, setOpen] = useState<'export' | 'import' | null>(null);
  return (
    <SettingsCard title="Export and import" testId="settings-transfer" description="Move the vault to another computer, or keep an encrypted backup.">
      <div className="row-actions">
        <button type="button" className="btn btn-secondary" onClick={() => setOpen('export')} data-testid="vault-export-button">
          <Icon name="download" /> Export vault…
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => setOpen('import')} data-testid="vault-import-button">
          <Icon name="upload" /> Import vault export…
        </button>
      </div>
      {open === 'export' ? <ExportVaultDialog onClose={() => setOpen(null)} /> : null}
      {open === 'import' ? <ImportVaultDialog onClose={() => setOpen(null)} /> : null}
    </SettingsCard>
  );
}
