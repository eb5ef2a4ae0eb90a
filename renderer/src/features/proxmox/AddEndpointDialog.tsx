import { useState } from 'react';
import { PVE_TOKEN_ID_PATTERN } from '../../../../shared/domain/proxmox';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { codeOf, fieldErrorsOf, messageOf, withLabel, type FieldErrors } from '../../lib/errors';
import { useProxmoxStore } from '../../stores/proxmox';
import { toastSuccess } from '../../stores/ui';
import { AddedEndpointReport } from './AddedEndpointReport';
import { CertificateDetails } from './CertificateDetails';
import type { AddedEndpoint, PresentedCertificate } from './pve-derive';

interface Draft {
  name: string;
  address: string;
  port: string;
  tokenId: string;
  tokenSecret: string;
}

const EMPTY: Draft = { name: '', address: '', port: '8006', tokenId: '', tokenSecret: '' };
const LABELS: Record<keyof Draft, string> = { name: 'Name', address: 'Address', port: 'Port', tokenId: 'Token ID', tokenSecret: 'Token secret' };

/**
 * Adding an endpoint in two steps: "Check certificate" shows what the node presents so the user
 * can compare it with the node's own; only once they say they did, "Add" pins it, checks the token
 * for real and shows the privileges it has. The secret lives in this form only until the call.
 */
export function AddEndpointDialog({ onClose }: { onClose: () => void }) {
  const checkCertificate = useProxmoxStore((s) => s.certificate);
  const createEndpoint = useProxmoxStore((s) => s.create);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [certificate, setCertificate] = useState<PresentedCertificate | null>(null);
  const [compared, setCompared] = useState(false);
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
      if (!Object.keys(byField).some((key) => key in LABELS || key === 'fingerprint')) setError(e);
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
      const secret = draft.tokenSecret;
      // the secret goes to main once and is dropped from the form whatever the answer
      setDraft((d) => ({ ...d, tokenSecret: '' }));
      const result = await createEndpoint({ ...target, tokenId: draft.tokenId.trim(), tokenSecret: secret, fingerprint: certificate.sha256 });
      setAdded(result);
      toastSuccess(`${result.endpoint.name} added`);
    }, 'node');

  const tokenIdLooksWrong = draft.tokenId.trim() !== '' && !PVE_TOKEN_ID_PATTERN.test(draft.tokenId.trim());
  const canCheck = !busy && target.name !== '' && target.address !== '' && Number.isInteger(port) && port > 0 && port < 65_536;
  const canAdd = !busy && certificate !== null && compared && draft.tokenId.trim() !== '' && draft.tokenSecret !== '';

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
    <Field label={LABELS[key]} name={`pve-${key}`} error={withLabel(LABELS[key], options.error ?? fields[key])} hint={options.hint} className={`field-${key}`}>
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
      description="An API token of a Proxmox VE node or cluster. Bulwark pins the node's TLS certificate after you compare its fingerprint."
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
        {text('tokenId', {
          placeholder: 'bulwark@pve!inventory',
          hint: 'USER@REALM!TOKENID, as Datacenter › Permissions › API Tokens lists it',
          testId: 'pve-token-id',
          error: fields['tokenId'] || (tokenIdLooksWrong ? 'must look like user@realm!tokenid' : undefined),
        })}
        {text('tokenSecret', { type: 'password', hint: 'Shown once by Proxmox when the token was created', testId: 'pve-token-secret' })}
      </div>
      {certificate ? (
        <>
          <CertificateDetails certificate={certificate} />
          <label className="checkbox pve-compared">
            <input type="checkbox" checked={compared} onChange={(e) => setCompared(e.target.checked)} data-testid="pve-compared" />I compared the fingerprint with the node&apos;s own and they match
          </label>
        </>
      ) : null}
      {fields['fingerprint'] ? <FormError testId="pve-fingerprint-error" message={`Fingerprint: ${fields['fingerprint']}`} /> : null}
      <FormError testId="pve-add-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
    </Dialog>
  );
}
