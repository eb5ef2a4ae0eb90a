import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Host } from '../../../../shared/domain/host';
import { Field } from '../../components/Field';
import { FLEET_OP_NAMES, useFleetStore, type AuditScope } from '../../stores/fleet';
import { keyKindLabel, useKeysStore, type SshKey } from '../../stores/keys';
import type { FleetOp, JobRequest } from '../../stores/jobs';
import { OP_LABELS } from './job-text';

/** The contract's account rule (shared/contract.ts accountSchema), checked here to name the field. */
const ACCOUNT_PATTERN = /^[a-z_][a-z0-9_.-]{0,31}$/i;

const OP_HINTS: Record<FleetOp, string> = {
  deploy: 'Adds the public key to authorized_keys. Every other line of the file is kept; a key already there is left alone.',
  audit: 'Reads authorized_keys and shows which keys can log in where, including keys Bulwark does not know.',
  rotate: 'Adds the new key, proves a fresh login with it, and only then removes the old key. A host that fails keeps the old key.',
  revoke: 'Removes the key from authorized_keys. Refused where Bulwark itself logs in with that key, unless you force it.',
};

interface Props {
  hosts: readonly Host[];
  disabled: boolean;
  onRun: (request: JobRequest) => void;
  onCheckHostKeys: () => void;
}

function KeySelect({ label, name, value, keys, onChange, testId, error }: { label: string; name: string; value: string; keys: readonly SshKey[]; onChange: (id: string) => void; testId: string; error?: string | undefined }) {
  return (
    <Field label={label} name={name} error={error}>
      {(control) => (
        <select {...control} className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
          <option value="">Choose a key…</option>
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name} ({keyKindLabel(k)}, {k.fingerprint.slice(0, 19)}…)
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function FleetActionForm({ hosts, disabled, onRun, onCheckHostKeys }: Props) {
  const keys = useKeysStore((s) => s.keys);
  const { form, setForm } = useFleetStore(useShallow((s) => ({ form: s.form, setForm: s.setForm })));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { op } = form;
  // a key chosen earlier may have been deleted since
  const keyId = keys.some((k) => k.id === form.keyId) ? form.keyId : '';
  const oldKeyId = keys.some((k) => k.id === form.oldKeyId) ? form.oldKeyId : '';
  const n = hosts.length;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (disabled) return;
    const errs: Record<string, string> = {};
    const account = form.account.trim();
    if (op !== 'audit' && !keyId) errs.key = op === 'rotate' ? 'Choose the new key' : 'Choose a key';
    if (op === 'rotate' && !oldKeyId) errs.oldKey = 'Choose the key to replace';
    if (op === 'rotate' && keyId && keyId === oldKeyId) errs.key = 'The new key must differ from the old one';
    if (op !== 'audit' && account && !ACCOUNT_PATTERN.test(account)) errs.account = `"${account}" is not a valid account name`;
    if (n === 0) errs.hosts = 'Select at least one host on the left';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const hostIds = hosts.map((h) => h.id);
    const acc = account ? { account } : {};
    switch (op) {
      case 'deploy':
        return onRun({ op, keyId, hostIds, ...acc });
      case 'audit':
        return onRun({ op, hostIds, accounts: form.scope });
      case 'rotate':
        return onRun({ op, oldKeyId, newKeyId: keyId, hostIds, ...acc });
      case 'revoke':
        return onRun({ op, keyId, hostIds, ...acc });
    }
  };

  const hostsWord = `${n} ${n === 1 ? 'host' : 'hosts'}`;
  const runLabel = op === 'revoke' ? `Revoke from ${hostsWord}…` : op === 'audit' ? `Audit ${hostsWord}` : `${OP_LABELS[op]} on ${hostsWord}`;

  return (
    <form className="fleet-form card" onSubmit={submit} noValidate data-testid="fleet-form" aria-labelledby="fleet-form-title">
      <header className="card-header">
        <h2 id="fleet-form-title">Operation</h2>
      </header>
      <div className="card-body">
        <div className="segmented" role="radiogroup" aria-label="Operation">
          {FLEET_OP_NAMES.map((o) => (
            <label key={o} className={op === o ? 'is-on' : undefined}>
              <input type="radio" name="fleet-op" checked={op === o} onChange={() => setForm({ op: o })} disabled={disabled} data-testid={`fleet-op-${o}`} />
              {OP_LABELS[o]}
            </label>
          ))}
        </div>
        <p className="muted small">{OP_HINTS[op]}</p>

        <div className="form-grid">
          {op === 'rotate' ? (
            <KeySelect label="Old key (removed)" name="fleet-old-key" value={oldKeyId} keys={keys} onChange={(id) => setForm({ oldKeyId: id })} testId="fleet-old-key" error={errors.oldKey} />
          ) : null}
          {op !== 'audit' ? (
            <KeySelect label={op === 'rotate' ? 'New key (added)' : 'Key'} name="fleet-key" value={keyId} keys={keys} onChange={(id) => setForm({ keyId: id })} testId="fleet-key" error={errors.key} />
          ) : (
            <fieldset className="field plain-fieldset span-all">
              <legend>Accounts to read</legend>
              {(
                [
                  ['all-login-shells', 'Every account with a login shell (needs root, or sudo on the host)'],
                  ['login', 'Only the account Bulwark logs in as'],
                ] as [AuditScope, string][]
              ).map(([value, label]) => (
                <label key={value} className="checkbox">
                  <input type="radio" name="audit-scope" checked={form.scope === value} onChange={() => setForm({ scope: value })} disabled={disabled} data-testid={`audit-scope-${value}`} />
                  {label}
                </label>
              ))}
            </fieldset>
          )}
          {op !== 'audit' ? (
            <Field label="Account (optional)" name="fleet-account" error={errors.account} hint="Whose authorized_keys; empty = each host's login user. Another account needs root or sudo.">
              {(control) => (
                <input {...control} className="input mono" value={form.account} onChange={(e) => setForm({ account: e.target.value })} placeholder="login user" autoComplete="off" spellCheck={false} data-testid="fleet-account" />
              )}
            </Field>
          ) : null}
        </div>
        {errors.hosts ? (
          <p className="field-error" role="alert" data-testid="fleet-hosts-error">
            {errors.hosts}
          </p>
        ) : null}
        {keys.length === 0 && op !== 'audit' ? <p className="warning-text small">The vault has no keys yet: generate or import one in the Vault keys tab.</p> : null}
        <div className="row-actions">
          <button type="submit" className={`btn ${op === 'revoke' ? 'btn-danger' : 'btn-primary'}`} disabled={disabled} data-testid="fleet-run">
            {runLabel}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onCheckHostKeys} disabled={disabled || n === 0} data-testid="check-host-keys">
            Check host keys
          </button>
        </div>
      </div>
    </form>
  );
}
