import { useId, useState, type ChangeEvent } from 'react';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { useProfilesStore } from '../../stores/profiles';
import { toastSuccess } from '../../stores/ui';
import { readLimited } from '../inventory/useImport';
import { importConflict, importTextProblem, MAX_PROFILE_YAML } from './profile-import';

/**
 * A profile from YAML, pasted or read from a file into the text box (so it can be looked at
 * first). main's error names the line or the control and field; a custom profile with the same
 * id is replaced only after the user says so.
 */
export function ImportProfileDialog({ onClose, onImported }: { onClose: () => void; onImported: (id: string) => void }) {
  const importYaml = useProfilesStore((s) => s.importYaml);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** main said a custom profile has this id; the next submit replaces it. */
  const [conflict, setConflict] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileId = useId();

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setError(null);
    setConflict(null);
    try {
      setText(await readLimited(file, MAX_PROFILE_YAML));
      setFileName(file.name);
      setProblem(null);
    } catch (err) {
      setProblem(messageOf(err));
    }
  };

  const submit = async (replace: boolean) => {
    if (busy) return;
    const p = importTextProblem(text);
    setProblem(p);
    if (p) return;
    setBusy(true);
    setError(null);
    try {
      const profile = await importYaml(text, replace);
      toastSuccess(replace ? `Replaced ${profile.name}` : `Imported ${profile.name}`, `Profile id: ${profile.id}`);
      onImported(profile.id);
      onClose();
    } catch (err) {
      setConflict(replace ? null : importConflict(err));
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Import profile YAML"
      onClose={onClose}
      busy={busy}
      size="lg"
      testId="profile-import-dialog"
      description={<p>A profile in the format Export YAML writes. It is checked in full before anything is stored.</p>}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="profile-import-cancel">
            Cancel
          </button>
          {conflict ? (
            <button type="button" className="btn btn-danger" onClick={() => void submit(true)} disabled={busy} data-testid="profile-import-replace">
              {busy ? 'Replacing…' : `Replace ${conflict}`}
            </button>
          ) : (
            <button type="button" className="btn btn-primary" onClick={() => void submit(false)} disabled={busy} data-testid="profile-import-submit">
              {busy ? 'Importing…' : 'Import'}
            </button>
          )}
        </>
      }
    >
      <div className="stack">
        <div className="field">
          <label htmlFor={fileId}>Read a file</label>
          <input id={fileId} type="file" accept=".yml,.yaml,text/yaml,text/plain" className="file-input" onChange={(e) => void onFile(e)} disabled={busy} data-testid="profile-import-file" />
        </div>
        <Field label={fileName ? `YAML (from ${fileName})` : 'YAML, pasted or from the file'} name="profile-import-text" error={problem ?? undefined}>
          {(control) => (
            <textarea
              {...control}
              className="input mono export-text"
              rows={16}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setConflict(null);
              }}
              disabled={busy}
              spellCheck={false}
              data-autofocus=""
              data-testid="profile-import-text"
            />
          )}
        </Field>
        {conflict ? (
          <div className="form-error profile-import-conflict" role="alert" data-testid="profile-import-conflict">
            <span>
              A custom profile <code>{conflict}</code> already exists. Replace it with this one? Its current settings are lost unless you exported them.
            </span>
          </div>
        ) : (
          <FormError testId="profile-import-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
        )}
      </div>
    </Dialog>
  );
}
