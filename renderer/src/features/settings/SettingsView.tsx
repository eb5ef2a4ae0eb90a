import { useVaultStore } from '../../stores/vault';
import { AutoLockSetting } from './AutoLockSetting';
import { ChangePassphraseForm } from './ChangePassphraseForm';
import { KeychainSetting } from './KeychainSetting';
import { RecoveryKeySetting } from './RecoveryKeySetting';
import { SettingsCard } from './SettingsCard';
import { ThemeSetting } from './ThemeSetting';
import { VaultTransferSetting } from './VaultTransferSetting';

export function SettingsView() {
  const path = useVaultStore((s) => s.status?.path);
  return (
    <div className="settings" data-testid="settings">
      <SettingsCard title="Vault" description="Where the encrypted vault lives on this computer.">
        <code className="mono" data-testid="vault-path">
          {path}
        </code>
      </SettingsCard>
      <AutoLockSetting />
      <KeychainSetting />
      <ChangePassphraseForm />
      <RecoveryKeySetting />
      <VaultTransferSetting />
      <ThemeSetting />
    </div>
  );
}
