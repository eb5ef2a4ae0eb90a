/**
 * Certificate pinning for Proxmox VE API connections. Proxmox nodes serve a certificate signed
 * by their cluster's own CA, which no system trust store knows, so Bulwark pins instead:
 * either the node certificate itself (SHA-256), or the cluster CA (its SHA-256 and PEM), which
 * keeps working when the node certificate is renewed under the same CA.
 *
 * The check runs in the connection's own connector, after the TLS handshake and before the
 * HTTP client gets the socket: no request (and so no token or ticket) is ever written to a peer
 * that failed it. Verification is per connection; nothing process-wide is switched off.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { type DetailedPeerCertificate, type PeerCertificate, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { Agent, type buildConnector } from 'undici';
import { BulwarkError } from '../../../shared/errors';

export interface TlsPin {
  /** SHA-256 of the pinned certificate, colon hex upper case (how Proxmox shows it). */
  sha256: string;
  /** Set when the pin is the cluster CA: node certificates it issued are accepted. */
  caPem?: string | undefined;
}

/** What the server presented, for a trust-on-first-use question or a refusal message. */
export interface PresentedCertificate {
  sha256: string;
  subject: string;
  issuer: string;
  validTo: string;
  /** The CA certificates the server sent along, if any (Proxmox sends the node certificate only). */
  chain: { sha256: string; subject: string; pem: string }[];
}

export const normalizeFingerprint = (f: string) => f.trim().toUpperCase();

export function pemOf(raw: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${raw.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export function describePeer(peer: DetailedPeerCertificate): PresentedCertificate {
  const chain: PresentedCertificate['chain'] = [];
  const seen = new Set([peer.fingerprint256]);
  for (let c: DetailedPeerCertificate | undefined = peer.issuerCertificate; c && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    chain.push({ sha256: c.fingerprint256, subject: flat(c.subject), pem: pemOf(c.raw) });
  }
  return { sha256: peer.fingerprint256, subject: flat(peer.subject), issuer: flat(peer.issuer), validTo: peer.valid_to, chain };
}

function flat(name: PeerCertificate['subject'] | undefined): string {
  return name ? Object.entries(name).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ') : '';
}

/**
 * Null when the presented certificate satisfies the pin, else why not. A CA pin accepts a
 * node certificate that this CA signed and that is within its validity dates.
 */
export function pinProblem(presented: { sha256: string; pem: string }, pin: TlsPin, now = new Date()): string | null {
  if (normalizeFingerprint(presented.sha256) === normalizeFingerprint(pin.sha256)) return null;
  if (!pin.caPem) return `its certificate ${presented.sha256} is not the pinned ${pin.sha256}`;
  const ca = new X509Certificate(pin.caPem);
  if (normalizeFingerprint(ca.fingerprint256) !== normalizeFingerprint(pin.sha256)) return 'the stored CA certificate does not match its pinned fingerprint';
  const leaf = new X509Certificate(presented.pem);
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return `its certificate ${presented.sha256} was not issued by the pinned cluster CA ${pin.sha256}`;
  if (now < new Date(leaf.validFrom) || now > new Date(leaf.validTo)) return `its certificate ${presented.sha256} from the pinned CA is outside its validity (${leaf.validFrom} – ${leaf.validTo})`;
  return null;
}

export interface PinnedAgentOptions {
  /** The node's name, for messages. */
  name: string;
  /** null: first contact; every connection fails with TLS_UNPINNED carrying what was presented. */
  pin: TlsPin | null;
  connectTimeoutMs?: number;
  /** Each accepted connection, e.g. to learn the local address the node sees. */
  onConnected?: (socket: TLSSocket) => void;
}

/** The error a first contact ends with: the caller shows `presented` and asks the user. */
export class UnpinnedCertificateError extends BulwarkError {
  constructor(
    name: string,
    readonly presented: PresentedCertificate,
  ) {
    super('TLS_UNPINNED', `${name} presented a certificate Bulwark has not pinned yet: SHA-256 ${presented.sha256} (${presented.subject}). Compare it with the node's own (pvenode cert info) before trusting it.`, {
      fingerprint: presented.sha256,
    });
  }
}

/** An undici dispatcher for one Proxmox endpoint whose connections must satisfy `pin`. */
export function pinnedAgent(o: PinnedAgentOptions): Agent {
  const connect: buildConnector.connector = (opts, callback) => {
    let settled = false;
    const done = (err: Error | null, socket?: TLSSocket) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        socket?.destroy();
        callback(err, null);
      } else callback(null, socket!);
    };
    // URL hostnames keep IPv6 brackets; sockets and SNI take the bare address or name
    const host = opts.hostname.replace(/^\[(.*)\]$/, '$1');
    const socket = tlsConnect({
      host,
      port: Number(opts.port) || 8006,
      // the pin replaces chain and name checks: the peer is judged in secureConnect below
      rejectUnauthorized: false,
      // SNI carries names only
      ...(isIP(host) ? {} : { servername: host }),
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => done(new BulwarkError('TIMEOUT', `${o.name} did not complete the TLS handshake within ${(o.connectTimeoutMs ?? 10_000) / 1000} s`)), o.connectTimeoutMs ?? 10_000);
    socket.once('error', (e) => done(e));
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      if (!peer?.raw) return done(new BulwarkError('TLS_PIN_MISMATCH', `${o.name} presented no certificate`), socket);
      const presented = describePeer(peer);
      if (!o.pin) return done(new UnpinnedCertificateError(o.name, presented), socket);
      const problem = pinProblem({ sha256: presented.sha256, pem: pemOf(peer.raw) }, o.pin);
      if (problem) {
        return done(
          new BulwarkError('TLS_PIN_MISMATCH', `Refused to talk to ${o.name}: ${problem}. Nothing was sent. If the certificate was replaced on purpose, compare the new fingerprint with the node's own (pvenode cert info) and trust it again (Proxmox view: Check new certificate; CLI: bulwark pve trust).`, {
            fingerprint: presented.sha256,
          }),
          socket,
        );
      }
      o.onConnected?.(socket);
      done(null, socket);
    });
  };
  return new Agent({ connect });
}
