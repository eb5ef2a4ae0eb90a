import { groupFingerprint, type PresentedCertificate } from './pve-derive';

/** The certificate the endpoint presented, laid out for comparing with the node's own by eye. */
export function CertificateDetails({ certificate }: { certificate: PresentedCertificate }) {
  return (
    <div className="pve-cert" data-testid="pve-cert">
      <p>
        Compare this SHA-256 fingerprint with the one the node shows itself, in the Proxmox web UI under <strong>Datacenter › node › System › Certificates</strong>, or with <code>pvenode cert info</code> on the node. Only add the endpoint if they are the same: otherwise something between you and the node is answering in its place.
      </p>
      <dl className="pve-cert-fields">
        <dt>SHA-256</dt>
        <dd className="mono pve-fingerprint" data-testid="pve-cert-sha256" data-fingerprint={certificate.sha256}>
          {groupFingerprint(certificate.sha256).map((group) => (
            <span key={group}>{group}</span>
          ))}
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
