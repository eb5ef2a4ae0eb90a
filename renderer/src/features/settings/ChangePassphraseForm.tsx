import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { NewPassphraseFields, useNewPassphrase } from '../../components/NewPassphraseFields';
import { PassphraseInput } from '../../components/PassphraseInput';
import { codeOf, messageOf } from '../../lib/errors';
import { toastSuccess } from '../../stores/ui';
import { useVaultStore } from '../../stores/vault';
import { SettingsCard } from './SettingsCard';

export function ChangePassphraseForm() {
  const changePassphrase = useVaultStore((s) => s.changePassphrase);
  const [current, setCurrent] = useState('');
  const next = useNewPassphrase();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const code = codeOf(error);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !current || !next.valid) return;
    setBusy(true);
    setError(null);
    try {
      await changePassphrase(current, next.value);
      // Main may lock the vault right after (reason 'passphrase-changed'); then this unmounts.
      setCurrent('');
      next.reset();
      toastSuccess('Passphrase changed');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <SettingsCard title="Change passphrase" testId="settings-passphrase">
      <form className="stack narrow" onSubmit={submit} noValidate>
        <Field label="Current passphrase" name="change-current" error={code === 'WRONG_PASSPHRASE' ? 'The current passphrase is wrong.' : undefined}>
          {(control) => <PassphraseInput {...control} value={current} onValueChange={setCurrent} testId="change-current" autoComplete="current-password" />}
        </Field>
        <NewPassphraseFields state={next} prefix="change" label="New passphrase" error={code === 'WEAK_PASSPHRASE' ? messageOf(error) : undefined} />
        <FormError testId="change-error" message={error && code !== 'WRONG_PASSPHRASE' && code !== 'WEAK_PASSPHRASE' ? messageOf(error) : null} code={code} />
        <div>
          <button type="submit" className="btn btn-primary" disabled={busy || !current || !next.valid} data-testid="change-submit">
            {busy ? 'Changing…' : 'Change passphrase'}
          </button>
        </div>
      </form>
    </SettingsCard>
  );
}
