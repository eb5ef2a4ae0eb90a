import { useEffect, useState, type FormEvent } from 'react';
import type { Host } from '../../../../shared/domain/host';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { codeOf, fieldErrorsOf, messageOf, type FieldErrors } from '../../lib/errors';
import { type HostSecretName, useHostSecretsStore } from '../../stores/host-secrets';
import { useHostsStore } from '../../stores/hosts';
import { keyKindLabel, useKeysStore } from '../../stores/keys';
import { toastError, toastSuccess } from '../../stores/ui';
import { HostSecretControl, LOGIN_PASSWORD, SUDO_PASSWORD, type SecretChange } from './HostSecretControl';
import { emptyValues, fieldMessage, FIELD_LABELS, isHostField, toInput, valuesOf, type HostField, type HostFormValues } from './host-form';

interface Props {
  /** Absent: add a new host. */
  host?: Host;
  onClose: () => void;
  onDelete?: (host: Host) => void;
}

const HINTS: Partial<Record<HostField, string>> = {
  name: 'Used as the SSH alias and Ansible hostname.',
  address: 'DNS name, IPv4 or IPv6 (without brackets).',
  jumpHost: 'Optional ProxyJump: [user@]host[:port], comma-separated hops.',
  tags: 'Separate with commas or spaces. Tags become Ansible groups.',
};

const COPY = { sudoPassword: SUDO_PASSWORD, loginPassword: LOGIN_PASSWORD } as const;

/** A password being set must be typed, and fit what sudo and sshd read (one line, 1024 chars). */
function secretProblems(changes: Record<HostSecretName, SecretChange>): Partial<Record<HostSecretName, string>> {
  const out: Partial<Record<HostSecretName, string>> = {};
  for (const name of ['sudoPassword', 'loginPassword'] as const) {
    const c = changes[name];
    if (c.kind !== 'set') continue;
    const label = COPY[name].label;
    if (c.password === '') out[name] = `Type the ${label.toLowerCase()}, or press Cancel`;
    else if (c.password.length > 1024) out[name] = `${label} must be at most 1024 characters`;
    else if (/[\r\n\0]/.test(c.password)) out[name] = `${label} must be one line`;
  }
  return out;
}

export function HostFormDialog({ host, onClose, onDelete }: Props) {
  const create = useHostsStore((s) => s.create);
  const update = useHostsStore((s) => s.update);
  const [values, setValues] = useState<HostFormValues>(() => (host ? valuesOf(host) : emptyValues()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<{ message: string; code?: string | undefined } | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const keys = useKeysStore((s) => s.keys);
  const sudoStored = useHostSecretsStore((s) => (host ? s.sudoPassword.has(host.id) : false));
  const loginStored = useHostSecretsStore((s) => (host ? s.loginPassword.has(host.id) : false));
  const [changes, setChanges] = useState<Record<HostSecretName, SecretChange>>({ sudoPassword: { kind: 'keep' }, loginPassword: { kind: 'keep' } });
  const [secretErrors, setSecretErrors] = useState<Partial<Record<HostSecretName, string>>>({});
  const change = (name: HostSecretName) => (c: SecretChange) => {
    setChanges((all) => ({ ...all, [name]: c }));
    setSecretErrors((all) => ({ ...all, [name]: undefined }));
  };

  // The login key select lists the vault's keys; the password controls show whether one is stored.
  useEffect(() => {
    useKeysStore.getState().ensureLoaded();
    useHostSecretsStore.getState().load().catch((e: unknown) => toastError('Could not read which hosts have stored passwords', e));
  }, []);

  const set = (field: HostField, value: string) => {
    const next = { ...values, [field]: value };
    setValues(next);
    // After a first submit, re-check live so errors disappear as they are fixed.
    if (attempted) setErrors(toInput(next, host?.guest ?? null).errors);
  };

  const focusFirstError = (errs: FieldErrors) => {
    const first = (['name', 'address', 'port', 'user', 'jumpHost', 'tags', 'loginKeyId', 'notes'] as const).find((f) => errs[f]);
    if (first) document.querySelector<HTMLElement>(`[data-testid="field-${first}"]`)?.focus();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setAttempted(true);
    setFormError(null);
    const { input, errors: local } = toInput(values, host?.guest ?? null);
    setErrors(local);
    const problems = secretProblems(changes);
    setSecretErrors(problems);
    if (Object.keys(local).length > 0) return focusFirstError(local);
    const firstBad = (['sudoPassword', 'loginPassword'] as const).find((n) => problems[n]);
    if (firstBad) return document.querySelector<HTMLElement>(`[data-testid="${COPY[firstBad].prefix}-input"]`)?.focus();
    setBusy(true);
    let saved;
    try {
      saved = host ? await update(host.id, input) : await create(input);
    } catch (err) {
      const fields = fieldErrorsOf(err, 'host');
      const known: FieldErrors = {};
      const other: string[] = [];
      for (const [k, v] of Object.entries(fields)) {
        if (isHostField(k)) known[k] = v;
        else other.push(`${k}: ${v}`);
      }
      setErrors(known);
      // Messages for our fields go under them (focus moves there, so they are announced); a
      // form-level message only when something could not be placed.
      const placed = Object.keys(known).length > 0;
      setFormError(other.length || !placed ? { message: other.length ? other.join('; ') : messageOf(err), code: codeOf(err) } : null);
      setBusy(false);
      focusFirstError(known);
      return;
    }
    // The host is saved; each password goes in its own call so it never travels with host data.
    const done: string[] = [];
    for (const name of ['sudoPassword', 'loginPassword'] as const) {
      const c = changes[name];
      if (c.kind === 'keep') continue;
      try {
        if (c.kind === 'set') await useHostSecretsStore.getState().setSecret(name, saved.id, c.password);
        else await useHostSecretsStore.getState().clearSecret(name, saved.id);
        done.push(`${COPY[name].label} ${c.kind === 'set' ? 'stored' : 'cleared'}.`);
      } catch (err) {
        toastError(`Saved ${saved.name}, but its ${COPY[name].label.toLowerCase()} was not ${c.kind === 'set' ? 'stored' : 'cleared'}`, err);
      }
    }
    toastSuccess(host ? `Saved ${saved.name}` : `Added ${saved.name}`, done.length ? done.join(' ') : undefined);
    onClose();
  };

  const text = (field: HostField, extra: { mono?: boolean; inputMode?: 'numeric' } = {}) => (
    <Field label={FIELD_LABELS[field]} name={field} error={errors[field] && fieldMessage(field, errors[field])} hint={HINTS[field]} className={`field-${field}`}>
      {(control) => (
        <input
          {...control}
          className={`input${extra.mono ? ' mono' : ''}`}
          value={values[field]}
          onChange={(e) => set(field, e.target.value)}
          inputMode={extra.inputMode}
          autoComplete="off"
          spellCheck={false}
          data-testid={`field-${field}`}
          data-autofocus={field === 'name' ? '' : undefined}
        />
      )}
    </Field>
  );

  return (
    <Dialog
      title={host ? `Edit ${host.name}` : 'Add host'}
      onClose={onClose}
      busy={busy}
      testId="host-dialog"
      size="lg"
      footer={
        <>
          {host && onDelete ? (
            <button type="button" className="btn btn-danger-ghost push-left" onClick={() => onDelete(host)} disabled={busy} data-testid="host-delete">
              Delete…
            </button>
          ) : null}
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="host-cancel">
            Cancel
          </button>
          <button type="submit" form="host-form" className="btn btn-primary" disabled={busy} data-testid="host-save">
            {busy ? 'Saving…' : host ? 'Save' : 'Add host'}
          </button>
        </>
      }
    >
      <form id="host-form" className="form-grid" onSubmit={submit} noValidate>
        {text('name')}
        {text('address', { mono: true })}
        {text('port', { mono: true, inputMode: 'numeric' })}
        {text('user')}
        {text('jumpHost', { mono: true })}
        {text('tags')}
        <Field
          label={FIELD_LABELS.loginKeyId}
          name="loginKeyId"
          error={errors.loginKeyId && fieldMessage('loginKeyId', errors.loginKeyId)}
          hint="The vault key Bulwark logs in with. None: every vault key is tried, then the ssh-agent."
          className="field-loginKeyId"
        >
          {(control) => (
            <select {...control} className="input" value={values.loginKeyId} onChange={(e) => set('loginKeyId', e.target.value)} data-testid="field-loginKeyId">
              <option value="">None: try every vault key, then the agent</option>
              {keys.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name} ({keyKindLabel(k)})
                </option>
              ))}
              {values.loginKeyId && !keys.some((k) => k.id === values.loginKeyId) ? <option value={values.loginKeyId}>A key not in the list (loading, or deleted)</option> : null}
            </select>
          )}
        </Field>
        <HostSecretControl copy={SUDO_PASSWORD} stored={sudoStored} change={changes.sudoPassword} onChange={change('sudoPassword')} user={values.user} error={secretErrors.sudoPassword} disabled={busy} />
        <HostSecretControl copy={LOGIN_PASSWORD} stored={loginStored} change={changes.loginPassword} onChange={change('loginPassword')} user={values.user} error={secretErrors.loginPassword} disabled={busy} />
        <Field label={FIELD_LABELS.notes} name="notes" error={errors.notes && fieldMessage('notes', errors.notes)} className="field-notes">
          {(control) => (
            <textarea {...control} className="input" rows={3} value={values.notes} onChange={(e) => set('notes', e.target.value)} data-testid="field-notes" />
          )}
        </Field>
        <div className="span-all">
          <FormError testId="host-form-error" message={formError?.message ?? null} code={formError?.code} />
        </div>
      </form>
    </Dialog>
  );
}
