import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { NewPassphraseFields, useNewPassphrase } from '../../components/NewPassphraseFields';
import { codeOf, messageOf } from '../../lib/errors';
import { useVaultStore } from '../../stores/vault';

// The contract accepts 40..80 characters; checked here so the user gets a sentence, not a schema error.
const MIN_KEY = 40;
const MAX_KEY = 80;

export function RecoverForm({ onCancel }: { onCancel: () => void }) {
  const recover = useVaultStore((s) => s.recover);
  const [key, setKey] = useState('');
  const passphrase = useNewPassphrase();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const trimmed = key.trim();
  const keyProblem = trimmed === '' ? null : trimmed.length < MIN_KEY ? 'This is too short: paste the whole key.' : trimmed.length > MAX_KEY ? 'This is too long: paste only the key.' : null;
  const code = codeOf(error);
  const keyError = keyProblem ?? (code === 'WRONG_RECOVERY_KEY' ? messageOf(error) : undefined);
  const passError = code === 'WEAK_PASSPHRASE' ? messageOf(error) : undefined;
  const formError = error && code !== 'WRONG_RECOVERY_KEY' && code !== 'WEAK_PASSPHRASE' ? messageOf(error) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || keyProblem || !trimmed || !passphrase.valid) return;
    setBusy(true);
    setError(null);
    try {
      await recover(trimmed, passphrase.value);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <Field label="Recovery key" name="recover-key" error={keyError}>
        {(control) => (
          <textarea
            {...control}
            className="input mono"
            rows={2}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            data-testid="recover-key"
          />
        )}
      </Field>
      <NewPassphraseFields state={passphrase} prefix="recover" label="New passphrase" error={passError} />
      <FormError testId="recover-error" message={formError} code={code} />
      <button type="submit" className="btn btn-primary btn-block" disabled={busy || !trimmed || Boolean(keyProblem) || !passphrase.valid} data-testid="recover-submit">
        {busy ? 'Recovering…' : 'Recover and set new passphrase'}
      </button>
      <button type="button" className="btn btn-link" onClick={onCancel} data-testid="recover-cancel">
        Back to unlock
      </button>
    </form>
  );
}
