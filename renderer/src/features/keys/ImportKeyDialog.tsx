import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { Response } from '../../../../shared/contract';
import { commentProblem, keyNameProblem, MAX_KEY_TEXT } from '../../../../shared/domain/keys';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { PassphraseInput } from '../../components/PassphraseInput';
import { codeOf, fieldErrorsOf, messageOf, withLabel, type FieldErrors } from '../../lib/errors';
import { keyKindLabel, useKeysStore } from '../../stores/keys';
import { toastSuccess } from '../../stores/ui';

type Mode = 'file' | 'paste';

/** "id_ed25519" from "id_ed25519", "deploy" from "deploy.pem": a valid key name, or ''. */
export function nameFromFile(fileName: string): string {
  const base = fileName.replace(/\.(pem|key|ppk|txt)$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 63);
  return keyNameProblem(base) ? '' : base;
}

export function ImportKeyDialog({ onClose }: { onClose: () => void }) {
  const importKey = useKeysStore((s) => s.importKey);
  const [mode, setMode] = useState<Mode>('file');
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [askPassphrase, setAskPassphrase] = useState(false);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Response<'keys:import'> | null>(null);
  const passphraseRef = useRef<HTMLInputElement>(null);
  // Bumped when main asks for the passphrase: focus moves there once the field is rendered.
  const [focusPassphrase, setFocusPassphrase] = useState(0);
  useEffect(() => {
    if (focusPassphrase > 0) passphraseRef.current?.select();
  }, [focusPassphrase]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setErrors((x) => ({ ...x, text: '' }));
    if (!file) return;
    if (file.size > MAX_KEY_TEXT) {
      setText('');
      setErrors((x) => ({ ...x, text: `${file.name} is ${Math.round(file.size / 1024)} KiB; private key files are at most ${MAX_KEY_TEXT / 1024} KiB. Is it the right file?` }));
      return;
    }
    setFileName(file.name);
    setText(await file.text());
    if (!name) setName(nameFromFile(file.name));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local: FieldErrors = {};
    const n = name.trim();
    const np = keyNameProblem(n);
    if (np) local.name = np;
    if (!text.trim()) local.text = mode === 'file' ? 'Choose the private key file' : 'Paste the private key';
    const c = comment.trim();
    const cp = c ? commentProblem(c) : null;
    if (cp) local.comment = cp;
    if (askPassphrase && !passphrase) local.passphrase = 'Enter the passphrase that protects this key';
    setErrors(local);
    setError(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const r = await importKey({ name: n, text, ...(askPassphrase && passphrase ? { passphrase } : {}), ...(c ? { comment: c } : {}) });
      // the private key text is not kept around once it is in the vault
      setText('');
      setPassphrase('');
      if (r.warnings.length === 0) {
        toastSuccess(`Imported ${r.key.name}`, r.key.fingerprint);
        onClose();
        return;
      }
      setDone(r);
    } catch (err) {
      const code = codeOf(err);
      const fields = fieldErrorsOf(err, 'key');
      if (code === 'KEY_PASSPHRASE_REQUIRED') {
        // main read the file and found it encrypted: ask, and say why
        setAskPassphrase(true);
        setErrors({ passphrase: messageOf(err) });
        setFocusPassphrase((n) => n + 1);
      } else if (code === 'KEY_WRONG_PASSPHRASE') {
        setErrors({ passphrase: messageOf(err) });
        setFocusPassphrase((n) => n + 1);
      } else if (code === 'KEY_INVALID' || code === 'KEY_UNSUPPORTED') {
        setErrors({ text: messageOf(err) });
      } else if (fields.name || fields.text || fields.comment) {
        setErrors(fields);
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Dialog
        title={`Imported ${done.key.name}`}
        onClose={onClose}
        testId="import-key-dialog"
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus="" data-testid="import-key-done">
            Done
          </button>
        }
      >
        <p className="result" role="status">
          {keyKindLabel(done.key)} key <strong>{done.key.name}</strong> read as {done.format}: <code>{done.key.fingerprint}</code>
        </p>
        <div className="notice notice-warning" data-testid="import-key-warnings">
          <h3>Worth knowing</h3>
          <ul>
            {done.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Import SSH key"
      onClose={onClose}
      busy={busy}
      testId="import-key-dialog"
      description={<p>Imports a private key (OpenSSH, PEM or PKCS#8). It is decrypted once and stored encrypted in the vault; the passphrase is not kept.</p>}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="import-key-cancel">
            Cancel
          </button>
          <button type="submit" form="import-key-form" className="btn btn-primary" disabled={busy} data-testid="import-key-submit">
            {busy ? 'Importing…' : 'Import'}
          </button>
        </>
      }
    >
      <form id="import-key-form" className="stack" onSubmit={submit} noValidate>
        <div className="segmented" role="radiogroup" aria-label="Where the key comes from">
          {(['file', 'paste'] as const).map((m) => (
            <label key={m} className={mode === m ? 'is-on' : undefined}>
              <input type="radio" name="import-mode" checked={mode === m} onChange={() => setMode(m)} data-testid={`import-key-mode-${m}`} />
              {m === 'file' ? 'From a file' : 'Paste text'}
            </label>
          ))}
        </div>
        {mode === 'file' ? (
          <Field label="Private key file" name="key-text" error={errors.text} hint={fileName && text ? `Read ${fileName}.` : 'Usually ~/.ssh/id_ed25519 or ~/.ssh/id_rsa (not the .pub file).'}>
            {(control) => <input {...control} type="file" className="file-input" onChange={(e) => void onFile(e)} data-autofocus="" data-testid="import-key-file" />}
          </Field>
        ) : (
          <Field label="Private key" name="key-text" error={errors.text} hint="Starts with -----BEGIN OPENSSH PRIVATE KEY----- (or RSA/EC/PRIVATE KEY).">
            {(control) => (
              <textarea {...control} className="input mono" rows={7} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} autoComplete="off" data-autofocus="" data-testid="import-key-text" />
            )}
          </Field>
        )}
        <Field label="Name in Bulwark" name="key-name" error={withLabel('Name', errors.name)}>
          {(control) => <input {...control} className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} data-testid="import-key-name" />}
        </Field>
        {askPassphrase ? (
          <Field label="Key passphrase" name="key-passphrase" error={errors.passphrase} hint="The passphrase of this key file, not the vault's.">
            {(control) => (
              <PassphraseInput {...control} ref={passphraseRef} value={passphrase} onValueChange={setPassphrase} autoComplete="off" testId="import-key-passphrase" />
            )}
          </Field>
        ) : (
          <button type="button" className="btn btn-link align-start" onClick={() => setAskPassphrase(true)} data-testid="import-key-has-passphrase">
            The key has a passphrase
          </button>
        )}
        <Field label="Comment (optional)" name="key-comment" error={withLabel('Comment', errors.comment)} hint="Replaces the comment stored in the file.">
          {(control) => <input {...control} className="input" value={comment} onChange={(e) => setComment(e.target.value)} autoComplete="off" spellCheck={false} data-testid="import-key-comment" />}
        </Field>
        <FormError testId="import-key-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
      </form>
    </Dialog>
  );
}
