// GET /nodes/{node}/certificates/info: PVE::API2::Certificates "info" (permissions: any user),
// which lists /etc/pve/pve-root-ca.pem, the node's pve-ssl.pem and, when one is installed,
// its custom pveproxy-ssl.pem, each as PVE::Certificate::get_certificate_info reports it.
import { X509Certificate } from 'node:crypto';
import { reachableNode } from '../nodes';
import type { Route, RouteContext } from '../router';

function certificateInfo(filename: string, pem: string): Record<string, unknown> {
  const x = new X509Certificate(pem);
  const epoch = (d: string) => Math.floor(new Date(d).getTime() / 1000);
  const san = (x.subjectAltName ?? '').split(', ').filter(Boolean).map((s) => s.replace(/^IP Address:/, '').replace(/^DNS:/, ''));
  return {
    filename,
    fingerprint: x.fingerprint256,
    subject: `/${x.subject.split('\n').join('/')}`,
    issuer: `/${x.issuer.split('\n').join('/')}`,
    notbefore: epoch(x.validFrom),
    notafter: epoch(x.validTo),
    'public-key-type': x.publicKey.asymmetricKeyType === 'ec' ? 'id-ecPublicKey' : 'rsaEncryption',
    'public-key-bits': x.publicKey.asymmetricKeyDetails?.modulusLength ?? 256,
    san,
    pem,
  };
}

function info({ state, path, certificates }: RouteContext): unknown[] {
  const node = reachableNode(state, path.node ?? '');
  const { caPem, nodePem, customPem } = certificates();
  const out = [certificateInfo('pve-root-ca.pem', caPem)];
  // the simulator serves one address: only the first node's own files are real certificates
  if (node === state.nodes[0]) {
    out.push(certificateInfo('pve-ssl.pem', nodePem));
    if (customPem) out.push(certificateInfo('pveproxy-ssl.pem', customPem));
  }
  return out;
}

export const certificateRoutes: Route[] = [{ method: 'GET', path: '/nodes/{node}/certificates/info', handler: info }];
