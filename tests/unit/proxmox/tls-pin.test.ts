/**
 * Pinning against a real TLS server: node certificates from a throwaway cluster CA (openssl),
 * swapped under the server as a renewal or a replacement would. The server counts the requests
 * it receives: a refused connection must not have sent one (the token rides on every request).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../../shared/errors';
import { UnpinnedCertificateError, pinProblem, pinnedAgent, type TlsPin } from '../../../main/services/proxmox/tls-pin';

let dir: string;
const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
function makeCa(name: string): void {
  ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=${name} Proxmox Virtual Environment`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}
function makeLeaf(name: string, ca: string): void {
  ossl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=pve1.lan`);
  ossl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '10');
}
const pem = (n: string) => readFileSync(join(dir, `${n}.pem`), 'utf8');
const key = (n: string) => readFileSync(join(dir, `${n}.key`), 'utf8');
const sha = (n: string) => new X509Certificate(pem(n)).fingerprint256;

let server: Server;
let url: string;
let received = 0;
const serve = (leaf: string) => server.setSecureContext({ cert: pem(leaf), key: key(leaf) });
async function get(pin: TlsPin | null): Promise<string> {
  const agent = pinnedAgent({ name: 'pve1', pin });
  try {
    const r = await request(`${url}/api2/json/version`, { dispatcher: agent, headers: { authorization: 'PVEAPIToken=root@pam!bulwark=secret' } });
    return await r.body.text();
  } finally {
    await agent.close();
  }
}
async function refusal(pin: TlsPin | null) {
  const e = await get(pin).then(
    () => null,
    (err: unknown) => err,
  );
  expect(isBulwarkError(e), String(e)).toBe(true);
  return e as UnpinnedCertificateError;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-tls-pin-'));
  makeCa('ca1');
  makeCa('ca2');
  makeLeaf('leaf1', 'ca1');
  makeLeaf('leaf2', 'ca1');
  makeLeaf('other', 'ca2');
  server = createServer({ cert: pem('leaf1'), key: key('leaf1') }, (_req, res) => {
    received++;
    res.end('{"data":{"version":"8.4.1"}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pinned Proxmox connections', () => {
  it('first contact sends nothing and reports the node certificate to confirm', async () => {
    serve('leaf1');
    const before = received;
    const e = await refusal(null);
    expect(e.code).toBe('TLS_UNPINNED');
    expect(e.presented.sha256).toBe(sha('leaf1'));
    expect(e.presented.subject).toContain('CN=pve1.lan');
    expect(e.message).toContain(sha('leaf1'));
    expect(received).toBe(before);
  });

  it('a pinned node certificate is accepted; a renewed one is refused before any request', async () => {
    serve('leaf1');
    expect(await get({ sha256: sha('leaf1').toLowerCase() })).toContain('8.4.1');
    serve('leaf2');
    const before = received;
    const e = await refusal({ sha256: sha('leaf1') });
    expect(e.code).toBe('TLS_PIN_MISMATCH');
    expect(e.message).toMatch(/Nothing was sent/);
    expect(e.fields?.fingerprint).toBe(sha('leaf2'));
    expect(received).toBe(before);
  });

  it('a pinned cluster CA accepts its renewed node certificates and refuses another CA', async () => {
    const caPin = { sha256: sha('ca1'), caPem: pem('ca1') };
    serve('leaf1');
    expect(await get(caPin)).toContain('8.4.1');
    serve('leaf2');
    expect(await get(caPin)).toContain('8.4.1');
    serve('other');
    const before = received;
    const e = await refusal(caPin);
    expect(e.code).toBe('TLS_PIN_MISMATCH');
    expect(e.message).toMatch(/not issued by the pinned cluster CA/);
    expect(received).toBe(before);
  });

  it('pinProblem: a CA pin whose stored PEM does not match its fingerprint accepts nothing; dates count', () => {
    const leaf = { sha256: sha('leaf1'), pem: pem('leaf1') };
    expect(pinProblem(leaf, { sha256: sha('ca2'), caPem: pem('ca1') })).toMatch(/does not match its pinned fingerprint/);
    expect(pinProblem(leaf, { sha256: sha('ca1'), caPem: pem('ca1') }, new Date(Date.now() + 60 * 86_400_000))).toMatch(/outside its validity/);
    expect(pinProblem(leaf, { sha256: sha('ca1'), caPem: pem('ca1') })).toBeNull();
  });
});
