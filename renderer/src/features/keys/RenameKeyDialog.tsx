import { useState, type FormEvent } from 'react';
import { keyNameProblem } from '../../../../shared/domain/keys';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { codeOf, fieldErrorsOf, messageOf, withLabel } from '../../lib/errors';
import { useKeysStore, type SshKey } from '../../stores/keys';
import { toastSuccess } from '../../stores/ui';

export function RenameKeyDialog({ sshKey, onClose }: { sshKey: SshKey; onClose: () => void }) {
  const rename = useKeysStore((s) => s.rename);
  const [name, setName] = useState(sshKey.name);
  const [nameError, setNameError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const n = name.trim();
    const problem = keyNameProblem(n);
    setNameError(problem ?? undefined);
    setError(null);
    if (problem) return;
    setBusy(true);
    try {
      const key = await rename(sshKey.id, n);
      toastSuccess(`Renamed to ${key.name}`);
      onClose();
    } catch (err) {
      const fields = fieldErrorsOf(err);
      if (fields.name) setNameError(fields.name);
      else setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Rename ${sshKey.name}`}
      onClose={onClose}
      busy={busy}
      size="sm"
      testId="rename-key-dialog"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="rename-key-form" className="btn btn-primary" disabled={busy} data-testid="rename-key-submit">
            {busy ? 'Renaming…' : 'Rename'}
          </button>
        </>
      }
    >
      <form id="rename-key-form" className="stack" onSubmit={submit} noValidate>
        <Field label="Name" name="key-name" error={withLabel('Name', nameError)} hint="Only Bulwark's name changes; authorized_keys lines on hosts keep their comment.">
          {(control) => <input {...control} className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} data-autofocus="" data-testid="rename-key-name" />}
        </Field>
        <FormError testId="rename-key-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
      </form>
    </Dialog>
  );
}
