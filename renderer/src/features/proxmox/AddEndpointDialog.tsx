import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { codeOf, fieldErrorsOf, messageOf, withLabel, type FieldErrors } from '../../lib/errors';
import { useProxmoxStore } from '../../stores/proxmox';
import { toastSuccess } from '../../stores/ui';
import { AddedEndpointReport } from './AddedEndpointReport';
import { CertificateDetails, PinChoice } from './CertificateDetails';
import { credentialUserProblem, type AddedEndpoint, type AuthKind, type PresentedCertificate } from './pve-derive';

/** user and secret mean what `auth` says: token id and token secret, or user and password. */
interface Draft {
  name: string;
  address: string;
  port: string;
  user: string;
  secret: string;
}

const EMPTY: Draft = { name: '', address: '', port: '8006', user: '', secret: '' };

/** Labels, hints and test ids of the two credential fields per sign-in (the token ids predate the password choice). */
const CREDENTIALS: Record<AuthKind, { choice: string; user: string; userPlaceholder: string; userHint: string; userTestId: string; secret: string; secretHint: string; secretTestId: string }> = {
  token: {
    choice: 'API token (recommended)',
    user: 'Token ID',
    userPlaceholder: 'bulwark@pve!inventory',
    userHint: 'USER@REALM!TOKENID, as Datacenter › Permissions › API Tokens lists it',
    userTestId: 'pve-token-id',
    secret: 'Token secret',
    secretHint: 'Shown once by Proxmox when the token was created',
    secretTestId: 'pve-token-secret',
  },
  password: {
    choice: 'User and password',
    user: 'User',
    userPlaceholder: 'root@pam',
    userHint: 'USER@REALM: pam for the node’s Linux users, pve for Proxmox VE users',
    userTestId: 'pve-user',
    secret: 'Password',
    secretHint: 'Kept in the vault, to sign in again at each sync',
    secretTestId: 'pve-password',
  },
};

const labelOf = (key: keyof Draft, auth: AuthKind): string => {
  if (key === 'user') return CREDENTIALS[auth].user;
  if (key === 'secret') return CREDENTIALS[auth].secret;
  return { name: 'Name', address: 'Address', port: 'Port' }[key];
};
const DRAFT_KEYS: readonly string[] = ['name', 'address', 'port', 'user', 'secret'] satisfies (keyof Draft)[];

/**
 * Adding an endpoint in two steps: "Check certificate" shows what the node presents so the user
 * can compare it with the node's own; only once they say they did, "Add" pins it (or the cluster
 * CA that issued it), signs in for real and shows the privileges it has. The secret lives in this
 * form only until the call.
 */
export function AddEndpointDialog({ onClose }: { onClose: () => void }) {
  const checkCertificate = useProxmoxStore((s) => s.certificate);
  const createEndpoint = useProxmoxStore((s) => s.create);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [auth, setAuth] = useState<AuthKind>('token');
  const [certificate, setCertificate] = useState<PresentedCertificate | null>(null);
  const [compared, setCompared] = useState(false);
  const [pinCa, setPinCa] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [added, setAdded] = useState<AddedEndpoint | null>(null);

  const port = Number(draft.port);
  const target = { name: draft.name.trim(), address: draft.address.trim(), port };

  const edit = (key: keyof Draft, value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setFields((f) => ({ ...f, [key]: '' }));
    // a different address is a different certificate: the check must be made again
    if (key === 'address' || key === 'port') {
      setCertificate(null);
      setCompared(false);
    }
  };

  const chooseAuth = (next: AuthKind) => {
    setAuth(next);
    // a token secret is no password (and the other way round): it must not linger unseen in the form
    setDraft((d) => ({ ...d, secret: '' }));
    setFields((f) => ({ ...f, user: '', secret: '' }));
  };

  const attempt = async (work: () => Promise<void>, prefix: string) => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await work();
    } catch (e) {
      const byField = fieldErrorsOf(e, prefix);
      setFields(byField);
      // an error about no field this form shows must still be seen
      if (!Object.keys(byField).some((key) => DRAFT_KEYS.includes(key) || key === 'fingerprint')) setError(e);
    } finally {
      setBusy(false);
    }
  };

  const check = () =>
    attempt(async () => {
      setCertificate(await checkCertificate(target));
      setCompared(false);
    }, '');

  const add = () =>
    attempt(async () => {
      if (!certificate) return;
      const secret = draft.secret;
      // the secret goes to main once and is dropped from the form whatever the answer
      setDraft((d) => ({ ...d, secret: '' }));
      const result = await createEndpoint({ ...target, auth, user: draft.user.trim(), secret, fingerprint: certificate.sha256, pin: pinCa ? 'ca' : 'certificate' });
      setAdded(result);
      toastSuccess(`${result.endpoint.name} added`);
    }, 'node');

  const credentials = CREDENTIALS[auth];
  const userProblem = credentialUserProblem(auth, draft.user);
  const canCheck = !busy && target.name !== '' && target.address !== '' && Number.isInteger(port) && port > 0 && port < 65_536;
  const canAdd = !busy && certificate !== null && compared && draft.user.trim() !== '' && draft.secret !== '';

  if (added) {
    return (
      <Dialog
        title="Endpoint added"
        onClose={onClose}
        size="lg"
        testId="pve-add-dialog"
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus="" data-testid="pve-add-done">
            Done
          </button>
        }
      >
        <AddedEndpointReport added={added} />
      </Dialog>
    );
  }

  const text = (key: keyof Draft, options: { type?: string; placeholder?: string; hint?: string; testId: string; error?: string | undefined }) => (
    <Field label={labelOf(key, auth)} name={`pve-${key}`} error={withLabel(labelOf(key, auth), options.error ?? fields[key])} hint={options.hint} className={`field-${key}`}>
      {(control) => (
        <input
          {...control}
          className="input"
          type={options.type ?? 'text'}
          value={draft[key]}
          placeholder={options.placeholder}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => edit(key, e.target.value)}
          data-testid={options.testId}
        />
      )}
    </Field>
  );

  return (
    <Dialog
      title="Add a Proxmox endpoint"
      onClose={onClose}
      busy={busy}
      size="lg"
      testId="pve-add-dialog"
      description="A Proxmox VE node or cluster, signed in to with an API token or a user's password. Bulwark pins its TLS certificate (or the cluster CA that issued it) after you compare the fingerprint."
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="pve-add-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => void check()} disabled={!canCheck} data-testid="pve-check-cert">
            {busy && !certificate ? 'Checking…' : 'Check certificate'}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void add()} disabled={!canAdd} data-testid="pve-add-submit">
            {busy && certificate ? 'Adding…' : 'Add'}
          </button>
        </>
      }
    >
      <div className="form-grid pve-add-form">
        {text('name', { placeholder: 'homelab', testId: 'pve-name' })}
        {text('address', { placeholder: 'pve1.example.net or 192.0.2.10', testId: 'pve-address' })}
        {text('port', { type: 'number', testId: 'pve-port' })}
        <AuthChoice auth={auth} onChange={chooseAuth} disabled={busy} />
        {text('user', { placeholder: credentials.userPlaceholder, hint: credentials.userHint, testId: credentials.userTestId, error: fields['user'] || (userProblem ?? undefined) })}
        {text('secret', { type: 'password', hint: credentials.secretHint, testId: credentials.secretTestId })}
      </div>
      {certificate ? (
        <>
          <CertificateDetails certificate={certificate} />
          <label className="checkbox pve-compared">
            <input type="checkbox" checked={compared} onChange={(e) => setCompared(e.target.checked)} data-testid="pve-compared" />I compared the fingerprint with the node&apos;s own and they match
          </label>
          <PinChoice pinCa={pinCa} onChange={setPinCa} disabled={busy} />
        </>
      ) : null}
      {fields['fingerprint'] ? <FormError testId="pve-fingerprint-error" message={`Fingerprint: ${fields['fingerprint']}`} /> : null}
      <FormError testId="pve-add-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
    </Dialog>
  );
}

/** Token or password; the password choice explains why a token is still the better one. */
function AuthChoice({ auth, onChange, disabled }: { auth: AuthKind; onChange: (auth: AuthKind) => void; disabled: boolean }) {
  return (
    <fieldset className="field plain-fieldset span-all">
      <legend>Sign in with</legend>
      <div className="segmented" role="radiogroup" aria-label="Sign in with">
        {(['token', 'password'] as const).map((kind) => (
          <label key={kind} className={auth === kind ? 'is-on' : undefined}>
            <input type="radio" name="pve-auth" value={kind} checked={auth === kind} disabled={disabled} onChange={() => onChange(kind)} data-testid={`pve-auth-${kind}`} />
            {CREDENTIALS[kind].choice}
          </label>
        ))}
      </div>
      {auth === 'password' ? (
        <p className="field-hint" data-testid="pve-password-hint">
          Users with two-factor authentication cannot sign in this way: they need an API token. An API token with only the privileges Bulwark needs is safer than a password, which can do everything its user can.
        </p>
      ) : null}
    </fieldset>
  );
}
