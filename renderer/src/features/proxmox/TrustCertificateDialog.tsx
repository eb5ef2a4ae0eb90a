import { useCallback, useEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { useProxmoxStore } from '../../stores/proxmox';
import { toastSuccess } from '../../stores/ui';
import { PinnedOutcome } from './AddedEndpointReport';
import { CertificateDetails, Fingerprint, PinChoice } from './CertificateDetails';
import { presentedMatchesPin, type EndpointState, type PresentedCertificate, type TrustResult } from './pve-derive';

interface Props {
  endpoint: Pick<EndpointState, 'id' | 'name' | 'address' | 'port' | 'pin' | 'fingerprint'>;
  onClose: () => void;
}

/**
 * After a sync was refused because the endpoint's certificate no longer matches its pin: shows
 * what the endpoint presents now next to what is pinned, and pins the new one only once the user
 * says they compared it with the node's own. Exactly the fingerprint shown is sent to pve:trust,
 * so main refuses if the endpoint has changed its certificate again since.
 */
export function TrustCertificateDialog({ endpoint, onClose }: Props) {
  const readCertificate = useProxmoxStore((s) => s.certificate);
  const trust = useProxmoxStore((s) => s.trust);
  const { id, name, address, port } = endpoint;
  // what was pinned when the dialog opened: the reload after trusting brings the new pin in
  const [before] = useState(() => ({ pin: endpoint.pin, fingerprint: endpoint.fingerprint }));
  const [certificate, setCertificate] = useState<PresentedCertificate | null>(null);
  const [checking, setChecking] = useState(false);
  const [compared, setCompared] = useState(false);
  const [pinCa, setPinCa] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [trusted, setTrusted] = useState<TrustResult | null>(null);
  /** Bumped per check, so the answer of an abandoned one (closed, or "Check again") is dropped. */
  const round = useRef(0);

  const check = useCallback(async () => {
    const mine = ++round.current;
    setCertificate(null);
    setCompared(false);
    setError(null);
    setChecking(true);
    try {
      const presented = await readCertificate({ name, address, port });
      if (round.current === mine) setCertificate(presented);
    } catch (e) {
      if (round.current === mine) setError(e);
    } finally {
      if (round.current === mine) setChecking(false);
    }
  }, [readCertificate, name, address, port]);

  useEffect(() => {
    void check();
    return () => {
      round.current++;
    };
  }, [check]);

  const confirm = async () => {
    if (!certificate) return;
    setBusy(true);
    setError(null);
    try {
      const result = await trust(id, certificate.sha256, pinCa ? 'ca' : 'certificate');
      setTrusted(result);
      toastSuccess(`${name}: new certificate trusted`, result.pinned.kind === 'ca' ? 'The cluster CA is pinned' : "The node's certificate is pinned");
    } catch (e) {
      // the check and the choices stay as they were: the user can read the error and try again
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (trusted) {
    return (
      <Dialog
        title="Certificate trusted"
        onClose={onClose}
        size="lg"
        testId="pve-trust-dialog"
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus="" data-testid="pve-trust-done">
            Done
          </button>
        }
      >
        <PinnedOutcome pinned={trusted.pinned} />
        <p className="muted">The next sync of {name} uses the new pin.</p>
      </Dialog>
    );
  }

  const unchanged = certificate !== null && presentedMatchesPin(before.fingerprint, certificate);
  const canTrust = !busy && !checking && certificate !== null && compared;

  return (
    <Dialog
      title={`New certificate of ${name}`}
      onClose={onClose}
      busy={busy}
      size="lg"
      testId="pve-trust-dialog"
      description={`Bulwark stopped syncing ${name} because it presents a certificate its pin does not accept. Trust the new one only if it was renewed or replaced on purpose and matches what the node shows itself.`}
      footer={
        <>
          <button type="button" className="btn btn-ghost push-left" onClick={() => void check()} disabled={busy || checking} data-testid="pve-trust-recheck">
            Check again
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="pve-trust-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void confirm()} disabled={!canTrust} data-testid="pve-trust-confirm">
            {busy ? 'Trusting…' : 'Trust this certificate'}
          </button>
        </>
      }
    >
      <dl className="pve-cert-fields pve-trust-pinned" data-testid="pve-trust-pinned" data-pin={before.pin}>
        <dt>Pinned now</dt>
        <dd>{before.pin === 'ca' ? 'the cluster CA' : 'the node certificate'}</dd>
        <dt>SHA-256</dt>
        <dd className="mono pve-fingerprint" data-fingerprint={before.fingerprint}>
          <Fingerprint sha256={before.fingerprint} />
        </dd>
      </dl>
      {checking ? (
        <p className="muted" role="status" data-testid="pve-trust-checking">
          Reading the certificate {address}:{port} presents…
        </p>
      ) : null}
      {certificate ? (
        <>
          {unchanged ? (
            <p className="warning-text" data-testid="pve-trust-unchanged">
              The pin accepts this certificate: the mismatch is not there any more, or another node answered at this address. Try Sync again before trusting anything.
            </p>
          ) : null}
          <CertificateDetails certificate={certificate} proceed="trust it" />
          <label className="checkbox pve-compared">
            <input type="checkbox" checked={compared} disabled={busy} onChange={(e) => setCompared(e.target.checked)} data-testid="pve-trust-compared" />I compared the fingerprint with the node&apos;s own and they match
          </label>
          <PinChoice pinCa={pinCa} onChange={setPinCa} disabled={busy} />
        </>
      ) : null}
      <FormError testId="pve-trust-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
    </Dialog>
  );
}
