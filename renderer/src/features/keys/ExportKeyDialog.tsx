import { useState, type FormEvent } from 'react';
import { keyPassphraseProblem } from '../../../../shared/domain/keys';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { PassphraseInput } from '../../components/PassphraseInput';
import { codeOf, messageOf } from '../../lib/errors';
import { useKeysStore, type SshKey } from '../../stores/keys';

/**
 * Writes the private key to a file main asks for with a save dialog (mode 600). Encrypting it
 * is optional: OpenSSH format with bcrypt-pbkdf, readable by ssh and ssh-keygen.
 */
export function ExportKeyDialog({ sshKey, onClose }: { sshKey: SshKey; onClose: () => void }) {
  const exportPrivate = useKeysStore((s) => s.exportPrivate);
  const [protect, setProtect] = useState(true);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ passphrase?: string; confirm?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ path: string | null } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local: typeof errors = {};
    if (protect) {
      const p = keyPassphraseProblem(passphrase);
      if (p) local.passphrase = `Passphrase ${p}`;
      else if (confirm !== passphrase) local.confirm = 'The two passphrases differ';
    }
    setErrors(local);
    setError(null);
    if (local.passphrase || local.confirm) return;
    setBusy(true);
    try {
      const path = await exportPrivate(sshKey.id, protect ? passphrase : undefined);
      setResult({ path });
      setPassphrase('');
      setConfirm('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Export private key ${sshKey.name}`}
      onClose={onClose}
      busy={busy}
      testId="export-key-dialog"
      description={<p>Anyone holding the exported file (and its passphrase, if you set one) can log in wherever this key is deployed.</p>}
      footer={
        result ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus="" data-testid="export-key-done">
            Done
          </button>
        ) : (
          <>
            <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="submit" form="export-key-form" className="btn btn-primary" disabled={busy} data-testid="export-key-submit">
              {busy ? 'Waiting for the save dialog…' : 'Choose file and export'}
            </button>
          </>
        )
      }
    >
      {result ? (
        <p className="result" role="status" data-testid="export-key-result" data-cancelled={result.path === null}>
          {result.path === null ? (
            'Export cancelled: no file was written.'
          ) : (
            <>
              Saved the private key to <code>{result.path}</code> (readable by you only).
            </>
          )}
        </p>
      ) : (
        <form id="export-key-form" className="stack" onSubmit={submit} noValidate>
          <label className="checkbox">
            <input type="checkbox" checked={protect} onChange={(e) => setProtect(e.target.checked)} data-testid="export-key-protect" />
            Protect the file with a passphrase
          </label>
          {protect ? (
            <>
              <Field label="Passphrase" name="export-passphrase" error={errors.passphrase}>
                {(control) => <PassphraseInput {...control} value={passphrase} onValueChange={setPassphrase} autoComplete="new-password" data-autofocus="" testId="export-key-passphrase" />}
              </Field>
              <Field label="Repeat passphrase" name="export-confirm" error={errors.confirm}>
                {(control) => <PassphraseInput {...control} value={confirm} onValueChange={setConfirm} autoComplete="new-password" testId="export-key-confirm" />}
              </Field>
            </>
          ) : (
            <p className="warning-text" data-testid="export-key-plain-warning">
              The file will hold the private key unencrypted. Keep it only on encrypted storage.
            </p>
          )}
          <FormError testId="export-key-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
        </form>
      )}
    </Dialog>
  );
}
