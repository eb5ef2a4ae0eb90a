// A cluster CA and a node certificate made with the openssl CLI, shaped like the ones
// pvecm creates (CA "Proxmox Virtual Environment", leaf CN = node name) but with EC keys,
// which are quicker to generate than PVE's RSA 2048 and make no difference to pinning.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  keyPem: string;
  certPem: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

export class CertificateAuthority {
  private constructor(
    private readonly dir: string,
    readonly ca: KeyPair,
  ) {}

  static create(): CertificateAuthority {
    const dir = mkdtempSync(join(tmpdir(), 'pve-sim-ca-'));
    openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650',
      '-subj', '/CN=Proxmox Virtual Environment/OU=pve-sim/O=PVE Cluster Manager CA']);
    return new CertificateAuthority(dir, {
      keyPem: readFileSync(join(dir, 'ca.key'), 'utf8'),
      certPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    });
  }

  /** A server certificate for `nodeName`, valid for 127.0.0.1 (where the simulator listens). */
  issueLeaf(nodeName: string): KeyPair {
    writeFileSync(join(this.dir, 'leaf.ext'), [
      `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${nodeName}`,
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
    ].join('\n'));
    openssl(this.dir, ['req', ...EC_KEY, '-keyout', 'leaf.key', '-out', 'leaf.csr',
      '-subj', `/CN=${nodeName}/OU=PVE Cluster Node/O=Proxmox Virtual Environment`]);
    openssl(this.dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
      '-CAcreateserial', '-out', 'leaf.pem', '-days', '365', '-extfile', 'leaf.ext']);
    return {
      keyPem: readFileSync(join(this.dir, 'leaf.key'), 'utf8'),
      certPem: readFileSync(join(this.dir, 'leaf.pem'), 'utf8'),
    };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A certificate no cluster CA issued, standing in for an uploaded or ACME one (pveproxy-ssl.pem). */
export function selfSignedCertificate(nodeName: string): KeyPair {
  const dir = mkdtempSync(join(tmpdir(), 'pve-sim-custom-'));
  try {
    openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', 'custom.key', '-out', 'custom.pem', '-days', '90',
      '-subj', `/CN=${nodeName}.example`, '-addext', `subjectAltName=IP:127.0.0.1,DNS:${nodeName}.example`]);
    return { keyPem: readFileSync(join(dir, 'custom.key'), 'utf8'), certPem: readFileSync(join(dir, 'custom.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SHA-256 as Proxmox shows it: upper-case hex pairs joined by colons. */
export function sha256Fingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}
