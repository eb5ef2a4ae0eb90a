import { groupFingerprint, type PresentedCertificate } from './pve-derive';

/**
 * The certificate the endpoint presented, laid out for comparing with the node's own by eye.
 * proceed: what the user is about to do with it ("add the endpoint", "trust it").
 */
export function CertificateDetails({ certificate, proceed = 'add the endpoint' }: { certificate: PresentedCertificate; proceed?: string }) {
  return (
    <div className="pve-cert" data-testid="pve-cert">
      <p>
        Compare this SHA-256 fingerprint with the one the node shows itself, in the Proxmox web UI under <strong>Datacenter › node › System › Certificates</strong>, or with <code>pvenode cert info</code> on the node. Only {proceed} if they are the same: otherwise something between you and the node is answering in its place.
      </p>
      <dl className="pve-cert-fields">
        <dt>SHA-256</dt>
        <dd className="mono pve-fingerprint" data-testid="pve-cert-sha256" data-fingerprint={certificate.sha256}>
          <Fingerprint sha256={certificate.sha256} />
        </dd>
        <dt>Subject</dt>
        <dd className="mono">{certificate.subject}</dd>
        <dt>Issuer</dt>
        <dd className="mono">{certificate.issuer}</dd>
        <dt>Expires</dt>
        <dd>{certificate.validTo}</dd>
      </dl>
    </div>
  );
}

/** A SHA-256 in groups of four bytes; the parent (.pve-fingerprint) wraps them line by line. */
export function Fingerprint({ sha256 }: { sha256: string }) {
  return (
    <>
      {groupFingerprint(sha256).map((group, i) => (
        <span key={i}>{group}</span>
      ))}
    </>
  );
}

/**
 * What to pin once the certificate is confirmed. The cluster CA is the default because Proxmox
 * renews node certificates from it, and a renewed certificate then needs no new trust; main falls
 * back to the certificate (and says why) when the CA did not issue it.
 */
export function PinChoice({ pinCa, onChange, disabled = false }: { pinCa: boolean; onChange: (pinCa: boolean) => void; disabled?: boolean }) {
  return (
    <div className="pve-pin-choice">
      <label className="checkbox">
        <input type="checkbox" checked={pinCa} disabled={disabled} onChange={(e) => onChange(e.target.checked)} data-testid="pve-pin-ca" />
        Pin the cluster CA (certificate renewals keep working)
      </label>
      <p className="field-hint">
        {pinCa
          ? 'Bulwark reads the CA that issued this certificate through the connection you just checked and pins it; if the certificate is not from the cluster CA (a custom or ACME one), it pins only this certificate and says so.'
          : 'Only this certificate is pinned: after it is renewed or replaced, syncs stop until you trust the new one.'}
      </p>
    </div>
  );
}
