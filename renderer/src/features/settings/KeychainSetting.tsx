import { useState } from 'react';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { toastSuccess } from '../../stores/ui';
import { useVaultStore } from '../../stores/vault';
import { SettingsCard } from './SettingsCard';

export function KeychainSetting() {
  const keychain = useVaultStore((s) => s.status?.keychain);
  const setKeychain = useVaultStore((s) => s.setKeychain);
  // The requested state while the call runs, so the switch answers the click at once.
  const [pending, setPending] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!keychain) return null;
  const busy = pending !== null;

  // Turning it off stays possible when the keychain went away: that only forgets our entry.
  const disabled = busy || (!keychain.available && !keychain.enrolled);

  const toggle = async (enabled: boolean) => {
    setPending(enabled);
    setError(null);
    try {
      await setKeychain(enabled);
      toastSuccess(enabled ? 'The OS keychain can now unlock this vault' : 'The OS keychain no longer unlocks this vault');
    } catch (e) {
      setError(e); // the switch falls back to what main reports
    } finally {
      setPending(null);
    }
  };

  return (
    <SettingsCard
      title="OS keychain"
      testId="settings-keychain"
      description="Keep a copy of the vault key in the operating system's keychain, so you can unlock without typing the passphrase. Anyone who can use your OS account can then open the vault."
    >
      <label className="switch">
        <input type="checkbox" role="switch" checked={pending ?? keychain.enrolled} disabled={disabled} aria-busy={busy} onChange={(e) => void toggle(e.target.checked)} data-testid="keychain-toggle" />
        <span className="switch-track" aria-hidden="true" />
        <span>Unlock with the OS keychain</span>
      </label>
      {!keychain.available ? (
        <p className="warning-text" data-testid="keychain-reason">
          Not available: {keychain.reason ?? 'this system offers no secure keychain.'}
        </p>
      ) : null}
      <FormError testId="keychain-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
    </SettingsCard>
  );
}
