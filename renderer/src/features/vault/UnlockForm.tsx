import { useRef, useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { PassphraseInput } from '../../components/PassphraseInput';
import { codeOf, messageOf } from '../../lib/errors';
import { useVaultStore } from '../../stores/vault';

const FRIENDLY: Record<string, string> = {
  WRONG_PASSPHRASE: 'Wrong passphrase. Check Caps Lock and the keyboard layout, then try again.',
  KEYCHAIN_NOT_ENROLLED: 'The OS keychain holds no key for this vault. Unlock with your passphrase.',
};

export function UnlockForm({ onForgot }: { onForgot: () => void }) {
  const unlock = useVaultStore((s) => s.unlock);
  const unlockWithKeychain = useVaultStore((s) => s.unlockWithKeychain);
  const keychain = useVaultStore((s) => s.status?.keychain);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState<'passphrase' | 'keychain' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const run = async (kind: 'passphrase' | 'keychain', work: () => Promise<void>) => {
    setBusy(kind);
    setError(null);
    try {
      await work();
    } catch (e) {
      // The typed value stays: one wrong character should not cost the whole passphrase.
      setError(e);
      setBusy(null);
      inputRef.current?.focus();
      inputRef.current?.select();
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (passphrase && !busy) void run('passphrase', () => unlock(passphrase));
  };

  const code = codeOf(error);
  const message = error ? (code && FRIENDLY[code]) || messageOf(error) : null;

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <Field label="Passphrase" name="unlock-passphrase">
        {(control) => (
          <PassphraseInput
            {...control}
            ref={inputRef}
            aria-invalid={code === 'WRONG_PASSPHRASE'}
            value={passphrase}
            onValueChange={setPassphrase}
            testId="unlock-passphrase"
            autoComplete="current-password"
            autoFocus
          />
        )}
      </Field>
      <FormError testId="unlock-error" message={message} code={code} />
      <button type="submit" className="btn btn-primary btn-block" disabled={!passphrase || busy !== null} data-testid="unlock-button">
        {busy === 'passphrase' ? 'Unlocking…' : 'Unlock'}
      </button>
      {keychain?.enrolled ? (
        <>
          <button
            type="button"
            className="btn btn-secondary btn-block"
            disabled={busy !== null || !keychain.available}
            onClick={() => void run('keychain', unlockWithKeychain)}
            data-testid="unlock-keychain"
          >
            {busy === 'keychain' ? 'Asking the OS keychain…' : 'Unlock with OS keychain'}
          </button>
          {!keychain.available && keychain.reason ? <p className="field-hint">{keychain.reason}</p> : null}
        </>
      ) : null}
      <button type="button" className="btn btn-link" onClick={onForgot} data-testid="forgot-passphrase">
        Forgot passphrase? Use recovery key
      </button>
    </form>
  );
}
