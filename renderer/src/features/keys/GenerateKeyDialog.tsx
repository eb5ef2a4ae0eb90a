import { useState, type FormEvent } from 'react';
import { commentProblem, keyNameProblem, type KeyType } from '../../../../shared/domain/keys';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { codeOf, fieldErrorsOf, messageOf, withLabel, type FieldErrors } from '../../lib/errors';
import { useKeysStore } from '../../stores/keys';
import { toastSuccess } from '../../stores/ui';

/** What main generates (main/services/keys/generate.ts GENERATE_BITS), first = default. */
const SIZES: Record<KeyType, readonly number[]> = { ed25519: [256], rsa: [4096, 3072], ecdsa: [256, 384, 521] };
const TYPES: readonly { type: KeyType; label: string; hint: string }[] = [
  { type: 'ed25519', label: 'Ed25519', hint: 'Recommended: small, fast, accepted by every current OpenSSH.' },
  { type: 'rsa', label: 'RSA', hint: 'For old systems and appliances that do not accept Ed25519.' },
  { type: 'ecdsa', label: 'ECDSA', hint: 'NIST curves, for systems that require them.' },
];

export function GenerateKeyDialog({ onClose }: { onClose: () => void }) {
  const generate = useKeysStore((s) => s.generate);
  const [name, setName] = useState('');
  const [type, setType] = useState<KeyType>('ed25519');
  const [bits, setBits] = useState(256);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const chooseType = (t: KeyType) => {
    setType(t);
    setBits(SIZES[t][0]!);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local: FieldErrors = {};
    const nameProblem = keyNameProblem(name.trim());
    if (nameProblem) local.name = nameProblem;
    const commentText = comment.trim();
    const cp = commentText ? commentProblem(commentText) : null;
    if (cp) local.comment = cp;
    setErrors(local);
    setError(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const key = await generate({ name: name.trim(), type, bits, ...(commentText ? { comment: commentText } : {}) });
      toastSuccess(`Generated ${key.name}`, key.fingerprint);
      onClose();
    } catch (err) {
      const fields = fieldErrorsOf(err, 'key');
      setErrors(fields);
      if (!fields.name && !fields.comment) setError(err);
      setBusy(false);
    }
  };

  const typeHint = TYPES.find((t) => t.type === type)!.hint;

  return (
    <Dialog
      title="Generate SSH key"
      onClose={onClose}
      busy={busy}
      testId="generate-key-dialog"
      description={<p>The key pair is made inside Bulwark and stored encrypted in the vault. The private key never appears on screen.</p>}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="generate-key-form" className="btn btn-primary" disabled={busy} data-testid="generate-key-submit">
            {busy ? (type === 'rsa' ? 'Generating (RSA takes a few seconds)…' : 'Generating…') : 'Generate'}
          </button>
        </>
      }
    >
      <form id="generate-key-form" className="stack" onSubmit={submit} noValidate>
        <Field label="Name" name="key-name" error={withLabel('Name', errors.name)} hint='Letters, digits, ".", "_" and "-". Exported files are named id_<name>.'>
          {(control) => (
            <input {...control} className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} data-autofocus="" data-testid="generate-key-name" />
          )}
        </Field>
        <fieldset className="field plain-fieldset">
          <legend>Type</legend>
          <div className="segmented" role="radiogroup" aria-label="Key type">
            {TYPES.map((t) => (
              <label key={t.type} className={type === t.type ? 'is-on' : undefined}>
                <input type="radio" name="key-type" value={t.type} checked={type === t.type} onChange={() => chooseType(t.type)} data-testid={`generate-key-type-${t.type}`} />
                {t.label}
              </label>
            ))}
          </div>
          <p className="field-hint">{typeHint}</p>
        </fieldset>
        {SIZES[type].length > 1 ? (
          <Field label={type === 'rsa' ? 'Key size' : 'Curve size'} name="key-bits">
            {(control) => (
              <select {...control} className="input input-narrow" value={bits} onChange={(e) => setBits(Number(e.target.value))} data-testid="generate-key-bits">
                {SIZES[type].map((b) => (
                  <option key={b} value={b}>
                    {b} bits
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <Field label="Comment (optional)" name="key-comment" error={withLabel('Comment', errors.comment)} hint="Ends up at the end of authorized_keys lines, e.g. you@laptop.">
          {(control) => (
            <input {...control} className="input" value={comment} onChange={(e) => setComment(e.target.value)} autoComplete="off" spellCheck={false} data-testid="generate-key-comment" />
          )}
        </Field>
        <FormError testId="generate-key-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
      </form>
    </Dialog>
  );
}
