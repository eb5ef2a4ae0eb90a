import { useState, type FormEvent } from 'react';
import type { Response } from '../../../../shared/contract';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { PassphraseInput } from '../../components/PassphraseInput';
import { call } from '../../bridge';
import { codeOf, messageOf } from '../../lib/errors';
import { useHostsStore } from '../../stores/hosts';

/** Merges a vault export into this vault. Main shows the open dialog after the passphrase. */
export function ImportVaultDialog({ onClose }: { onClose: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Response<'vault:import'> | null>(null);
  const code = codeOf(error);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !passphrase) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('vault:import', { passphrase });
      setResult(r);
      setPassphrase('');
      // The import may have added or changed hosts.
      if (r.path !== null) await useHostsStore.getState().load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Import vault export"
      onClose={onClose}
      busy={busy}
      testId="vault-import-dialog"
      description={<p>Merges a Bulwark export file into this vault: new records are added, records that exist here are updated.</p>}
      footer={
        result ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="vault-import-done">
            Done
          </button>
        ) : (
          <>
            <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="submit" form="vault-import-form" className="btn btn-primary" disabled={busy || !passphrase} data-testid="vault-import-submit">
              {busy ? 'Waiting for the file dialog…' : 'Choose file and import'}
            </button>
          </>
        )
      }
    >
      {result ? (
        <p className="result" role="status" data-testid="vault-transfer-result" data-cancelled={result.path === null}>
          {result.path === null ? (
            'Import cancelled: nothing was changed.'
          ) : (
            <>
              Imported from <code>{result.path}</code>: <strong>{result.added}</strong> added, <strong>{result.updated}</strong> updated.
            </>
          )}
        </p>
      ) : (
        <form id="vault-import-form" className="stack" onSubmit={submit} noValidate>
          <Field label="Export passphrase" name="vault-import-passphrase" error={code === 'WRONG_PASSPHRASE' ? 'Wrong passphrase for this export file.' : undefined} hint="The passphrase chosen when the file was exported.">
            {(control) => (
              <PassphraseInput {...control} value={passphrase} onValueChange={setPassphrase} testId="vault-import-passphrase" autoComplete="off" data-autofocus="" />
            )}
          </Field>
          <FormError testId="vault-import-error" message={error && code !== 'WRONG_PASSPHRASE' ? messageOf(error) : null} code={code} />
        </form>
      )}
    </Dialog>
  );
}
