import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/FormError';
import { NewPassphraseFields, useNewPassphrase } from '../../components/NewPassphraseFields';
import { codeOf, messageOf } from '../../lib/errors';
import { useVaultStore } from '../../stores/vault';
import { VaultFrame } from './VaultFrame';

/** First run: choose the vault passphrase. Main derives the vault key from it. */
export function CreateVaultForm() {
  const create = useVaultStore((s) => s.create);
  const creating = useVaultStore((s) => s.creating);
  const passphrase = useNewPassphrase();
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!passphrase.valid || creating) return;
    setError(null);
    try {
      await create(passphrase.value);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <VaultFrame
      testId="first-run"
      title="Create your vault"
      subtitle="Bulwark keeps your inventory, keys and credentials in an encrypted vault on this computer. Choose a passphrase to protect it; nobody can reset it for you."
    >
      <form className="stack" onSubmit={submit} noValidate>
        <NewPassphraseFields state={passphrase} prefix="create" autoFocus error={codeOf(error) === 'WEAK_PASSPHRASE' ? messageOf(error) : undefined} />
        <FormError testId="create-error" message={error && codeOf(error) !== 'WEAK_PASSPHRASE' ? messageOf(error) : null} code={codeOf(error)} />
        <button type="submit" className="btn btn-primary btn-block" disabled={!passphrase.valid || creating} data-testid="create-vault-button">
          {creating ? 'Creating vault…' : 'Create vault'}
        </button>
      </form>
    </VaultFrame>
  );
}
