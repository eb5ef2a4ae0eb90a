/**
 * Choosing what to pin once the user has confirmed a node's certificate.
 *
 * Proxmox nodes serve a certificate issued by their cluster's own CA and renew it (pvecm
 * updatecerts, or every two years) under the same CA, so pinning the CA keeps working where a
 * pinned node certificate would be refused after each renewal. Proxmox does not send the CA in
 * the TLS handshake, but GET /nodes/{node}/certificates/info (any user may call it) returns
 * /etc/pve/pve-root-ca.pem. Bulwark reads it through the connection the user has just pinned,
 * so the CA is as trusted as the certificate they compared, and keeps it only when it really
 * issued that certificate. A node serving a custom or ACME certificate keeps the certificate
 * pin, and the user is told why.
 */
import { X509Certificate } from 'node:crypto';
import type { PinOutcome } from '../../../shared/domain/proxmox';
import { isBulwarkError } from '../../../shared/errors';
import type { EndpointPin } from '../inventory';
import { type PveClient, pvePath } from './client';
import { certificateInfoSchema, nodeListSchema } from './schemas';
import { normalizeFingerprint, pinProblem } from './tls-pin';

export interface ChosenPin {
  pin: EndpointPin;
  outcome: PinOutcome;
}

const ROOT_CA_FILE = 'pve-root-ca.pem';

/**
 * The pin for an endpoint the client has already talked to through a certificate pin; `want`
 * is the user's choice. Never throws for a CA that cannot be read: the certificate pin stays.
 */
export async function choosePin(client: PveClient, want: 'ca' | 'certificate'): Promise<ChosenPin> {
  const peer = client.peerCertificate;
  if (!peer) throw new Error('choosePin needs a client that has connected');
  const leaf = new X509Certificate(peer.pem);
  const certificatePin = (note: string | null): ChosenPin => ({
    pin: { sha256: normalizeFingerprint(peer.sha256), caPem: null },
    outcome: { kind: 'certificate', sha256: normalizeFingerprint(peer.sha256), subject: oneLine(leaf.subject), note },
  });
  if (want === 'certificate') return certificatePin(null);

  const read = await readRootCa(client, peer.sha256);
  if ('problem' in read) return certificatePin(`The cluster CA was not pinned: ${read.problem}. Only this certificate is pinned, so a renewed certificate will need trusting again.`);
  let ca: X509Certificate;
  try {
    ca = new X509Certificate(read.pem);
  } catch {
    return certificatePin(`The cluster CA was not pinned: ${ROOT_CA_FILE} as the node returned it is not a certificate. Only this certificate is pinned.`);
  }
  const pin = { sha256: normalizeFingerprint(ca.fingerprint256), caPem: read.pem };
  const problem = pinProblem(peer, pin);
  if (!ca.ca || problem) {
    return certificatePin(`This node serves a certificate the cluster CA did not issue (an uploaded or ACME certificate, ${oneLine(leaf.issuer)}). Only this certificate is pinned, so its renewals will need trusting again.`);
  }
  return { pin, outcome: { kind: 'ca', sha256: pin.sha256, subject: oneLine(ca.subject), note: null } };
}

/**
 * The cluster CA from the first node that answers, trying the node serving this certificate
 * first (its ssl_fingerprint) since the others are reached through it.
 */
async function readRootCa(client: PveClient, servedSha256: string): Promise<{ pem: string } | { problem: string }> {
  let nodes;
  try {
    nodes = await client.get('/nodes', nodeListSchema);
  } catch (e) {
    if (isBulwarkError(e)) return { problem: `the node list could not be read (${e.message})` };
    throw e;
  }
  const served = normalizeFingerprint(servedSha256);
  const ordered = nodes
    .filter((n) => n.status !== 'offline')
    .sort((a, b) => Number(normalizeFingerprint(b.ssl_fingerprint ?? '') === served) - Number(normalizeFingerprint(a.ssl_fingerprint ?? '') === served));
  let last = 'no node is online';
  for (const n of ordered) {
    try {
      const infos = await client.get(pvePath('nodes', n.node, 'certificates', 'info'), certificateInfoSchema);
      const root = infos.find((i) => i.filename === ROOT_CA_FILE)?.pem;
      if (root) return { pem: root };
      last = `${n.node} listed no ${ROOT_CA_FILE}`;
    } catch (e) {
      if (!isBulwarkError(e)) throw e;
      last = `${n.node}: ${e.message}`;
    }
  }
  return { problem: last };
}

/** X509Certificate names come one attribute per line. */
const oneLine = (name: string) => name.split('\n').join(', ');
