import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { PassphraseInput } from '../../components/PassphraseInput';
import { codeOf, messageOf } from '../../lib/errors';
import { useVaultStore } from '../../stores/vault';
import { SettingsCard } from './SettingsCard';

/**
 * The recovery key is shown once; a user who lost it (or fears it was seen) gets a new one here.
 * Setting it in the vault store brings up the same save-and-confirm step as at creation.
 */
export function RecoveryKeySetting() {
  const rotate = useVaultStore((s) => s.rotateRecoveryKey);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const code = codeOf(error);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !passphrase) return;
    setBusy(true);
    setError(null);
    try {
      await rotate(passphrase);
      setPassphrase('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <SettingsCard
      title="Recovery key"
      description="Lost the recovery key, or worried someone saw it? Create a new one. The old key stops working at once."
      testId="settings-recovery"
    >
      <form className="stack narrow" onSubmit={submit} noValidate>
        <Field label="Current passphrase" name="rotate-passphrase" error={code === 'WRONG_PASSPHRASE' ? 'The passphrase is wrong.' : undefined}>
          {(control) => <PassphraseInput {...control} value={passphrase} onValueChange={setPassphrase} testId="rotate-passphrase" autoComplete="current-password" />}
        </Field>
        <FormError testId="rotate-error" message={error && code !== 'WRONG_PASSPHRASE' ? messageOf(error) : null} code={code} />
        <div>
          <button type="submit" className="btn btn-secondary" disabled={busy || !passphrase} data-testid="rotate-submit">
            {busy ? 'Creating…' : 'Create a new recovery key'}
          </button>
        </div>
      </form>
    </SettingsCard>
  );
}
