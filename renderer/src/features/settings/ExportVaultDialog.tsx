import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { NewPassphraseFields, useNewPassphrase } from '../../components/NewPassphraseFields';
import { call } from '../../bridge';
import { codeOf, messageOf } from '../../lib/errors';
import type { Response } from '../../../../shared/contract';

/**
 * Export asks for its own passphrase: the file leaves this machine, so it must not depend on
 * the vault passphrase, and it is held to the same strength rule. Main shows the save dialog.
 */
export function ExportVaultDialog({ onClose }: { onClose: () => void }) {
  const passphrase = useNewPassphrase();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Response<'vault:export'> | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !passphrase.valid) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await call('vault:export', { passphrase: passphrase.value }));
      passphrase.reset();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Export vault"
      onClose={onClose}
      busy={busy}
      testId="vault-export-dialog"
      description={<p>Writes an encrypted copy of the whole vault to a file you choose next. Anyone with the file and its export passphrase can read everything in it.</p>}
      footer={
        result ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="vault-export-done">
            Done
          </button>
        ) : (
          <>
            <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="submit" form="vault-export-form" className="btn btn-primary" disabled={busy || !passphrase.valid} data-testid="vault-export-submit">
              {busy ? 'Waiting for the save dialog…' : 'Choose file and export'}
            </button>
          </>
        )
      }
    >
      {result ? (
        <p className="result" role="status" data-testid="vault-transfer-result" data-cancelled={result.path === null}>
          {result.path === null ? (
            'Export cancelled: no file was written.'
          ) : (
            <>
              Exported <strong>{result.records}</strong> {result.records === 1 ? 'record' : 'records'} to <code>{result.path}</code>.
            </>
          )}
        </p>
      ) : (
        <form id="vault-export-form" className="stack" onSubmit={submit} noValidate>
          <NewPassphraseFields state={passphrase} prefix="vault-export" label="Export passphrase" autoFocus error={codeOf(error) === 'WEAK_PASSPHRASE' ? messageOf(error) : undefined} />
          <FormError testId="vault-export-error" message={error && codeOf(error) !== 'WEAK_PASSPHRASE' ? messageOf(error) : null} code={codeOf(error)} />
        </form>
      )}
    </Dialog>
  );
}
