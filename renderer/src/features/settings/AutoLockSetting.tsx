import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { toastSuccess } from '../../stores/ui';
import { useVaultStore } from '../../stores/vault';
import { SettingsCard } from './SettingsCard';

const MAX_MINUTES = 24 * 60;

export function AutoLockSetting() {
  const current = useVaultStore((s) => s.status?.autoLockMinutes ?? 0);
  const setAutoLock = useVaultStore((s) => s.setAutoLock);
  const [text, setText] = useState(String(current));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const minutes = Number(text);
  const problem = !/^[0-9]+$/.test(text.trim()) ? 'Enter a whole number of minutes' : minutes > MAX_MINUTES ? `At most ${MAX_MINUTES} minutes (24 hours)` : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem || busy) return;
    setBusy(true);
    setError(null);
    try {
      await setAutoLock(minutes);
      toastSuccess(minutes === 0 ? 'Auto-lock turned off' : `The vault now locks after ${minutes} idle minutes`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <SettingsCard
      title="Auto-lock"
      testId="settings-autolock"
      description={`Lock the vault after this many minutes without activity. 0 means never. Currently: ${current === 0 ? 'never' : `${current} min`}.`}
    >
      <form className="inline-form" onSubmit={submit} noValidate>
        <Field label="Minutes" name="autolock-minutes" error={text.trim() !== String(current) ? (problem ?? undefined) : undefined}>
          {(control) => (
            <input {...control} className="input input-narrow mono" inputMode="numeric" value={text} onChange={(e) => setText(e.target.value)} data-testid="autolock-minutes" />
          )}
        </Field>
        <button type="submit" className="btn btn-secondary" disabled={busy || Boolean(problem) || minutes === current} data-testid="autolock-save">
          {busy ? 'Saving…' : 'Save'}
        </button>
      </form>
      <FormError testId="autolock-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
    </SettingsCard>
  );
}
