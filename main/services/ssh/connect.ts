/**
 * One SSH connection to one hop, directly or over a tunnel through the previous hop. The host
 * key is checked against the HostKeyStore inside ssh2's hostVerifier, i.e. during key exchange
 * and before the userauth service is even requested: an unknown or changed key aborts the
 * connection with no credential sent (the provider is not even asked).
 */
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { BulwarkError } from '../../../shared/errors';
import { type AuthResult, AuthPlan, type CredentialProvider } from './auth';
import { type Hop, aborted, connectionLost, describeHop, hostKeyChanged, retryable, sshError, translateConnectError, unknownHostKey } from './errors';
import { type HostPublicKey, parseHostPublicKey } from './host-key-blob';
import type { HostKeyRecord, HostKeyStore } from './host-keys';

export interface ConnectSettings {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

/** Log events. They carry hosts, methods and fingerprints; never secrets. */
export type SshEvent =
  | { type: 'connected'; hop: string; auth: AuthResult; hostKey: string }
  | { type: 'closed'; hop: string }
  | { type: 'host-key-refused'; hop: string; status: 'unknown' | 'changed'; fingerprint: string }
  | { type: 'connect-failed'; hop: string; code: string };

export interface ConnectDeps {
  hostKeys: HostKeyStore;
  credentials: CredentialProvider;
  settings: ConnectSettings;
  onEvent?: (e: SshEvent) => void;
}

export interface Connected {
  client: Client;
  hop: Hop;
  auth: AuthResult;
  hostKey: HostKeyRecord;
  /** Set by the pool just before it closes the connection on purpose. */
  closing?: 'shutdown';
}

/** The error for an operation whose connection closed under it. */
export function closedUnder(conn: Connected, what: string): BulwarkError {
  if (conn.closing === 'shutdown') {
    const e = aborted(conn.hop, what);
    e.message = `${what} on ${describeHop(conn.hop)} was cancelled: the SSH engine was shut down`;
    return e;
  }
  return connectionLost(conn.hop, what);
}

type Algorithms = NonNullable<ConnectConfig['algorithms']>;

function baseConfig(hop: Hop, deps: Pick<ConnectDeps, 'hostKeys' | 'settings'>, sock: Duplex | undefined): ConnectConfig {
  const s = deps.settings;
  const cfg: ConnectConfig = {
    host: hop.host,
    port: hop.port,
    username: hop.user,
    readyTimeout: s.readyTimeoutMs,
    keepaliveInterval: s.keepaliveIntervalMs,
    keepaliveCountMax: s.keepaliveCountMax,
    algorithms: { serverHostKey: deps.hostKeys.hostKeyAlgorithms(hop.host, hop.port) } as Algorithms,
  };
  if (sock) cfg.sock = sock;
  return cfg;
}

/** Settles a connection attempt once; on failure destroys the client. Aborts via `signal`. */
class Attempt<T> {
  done = false;
  private readonly onAbort = () => this.finish(undefined, aborted(this.hop, 'connecting'));

  constructor(
    private readonly client: Client,
    private readonly hop: Hop,
    private readonly signal: AbortSignal | undefined,
    private readonly resolve: (v: T) => void,
    private readonly reject: (e: BulwarkError) => void,
  ) {
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  finish(value: T | undefined, err?: BulwarkError): void {
    if (this.done) return;
    this.done = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    if (err) {
      this.client.destroy();
      this.reject(err);
    } else {
      this.resolve(value as T);
    }
  }
}

export function connectHop(hop: Hop, deps: ConnectDeps, sock?: Duplex, signal?: AbortSignal): Promise<Connected> {
  return new Promise<Connected>((resolve, reject) => {
    const client = new Client();
    const cfg = baseConfig(hop, deps, sock); // may throw VAULT_LOCKED: before anything starts
    const s = new Attempt<Connected>(client, hop, signal, resolve, reject);
    if (s.done) return;
    const where = describeHop(hop);
    const plan = new AuthPlan(hop, deps.credentials);
    let verdict: BulwarkError | undefined;
    let pinned: HostKeyRecord | undefined;

    const fail = (e: BulwarkError) => {
      if (s.done) return;
      deps.onEvent?.({ type: 'connect-failed', hop: where, code: e.code });
      s.finish(undefined, e);
    };
    client.on('ready', () => {
      const auth = plan.succeeded();
      deps.onEvent?.({ type: 'connected', hop: where, auth, hostKey: pinned!.fingerprint });
      s.finish({ client, hop, auth, hostKey: pinned! });
    });
    client.on('error', (e: Error & { level?: string }) => {
      if (s.done) return; // after 'ready' the pool's listener handles errors
      // ssh2 reports an unusable agent or a key that failed to sign, then tries the next method.
      if (e.level === 'agent') return plan.note('the SSH agent could not be used');
      if (e.level === 'client-authentication' && !/All configured authentication methods failed/.test(e.message)) {
        return plan.note('a key could not sign');
      }
      fail(verdict ?? (e.level === 'client-authentication' ? plan.failure() : translateConnectError(e, hop, deps.settings.readyTimeoutMs)));
    });
    client.on('close', () => {
      fail(verdict ?? sshError('SSH_CONNECTION_LOST', hop, `${where} closed the connection before it was ready`));
    });

    cfg.hostVerifier = (key: Buffer): boolean => {
      try {
        const result = deps.hostKeys.check(hop.host, hop.port, key);
        if (result.status === 'trusted') {
          pinned = result.record;
          return true;
        }
        const presented = { keyType: result.presented.keyType, fingerprint: result.presented.fingerprint, key: result.presented.blob.toString('base64') };
        deps.onEvent?.({ type: 'host-key-refused', hop: where, status: result.status, fingerprint: presented.fingerprint });
        verdict = result.status === 'unknown' ? unknownHostKey(hop, presented) : hostKeyChanged(hop, presented, result.pinned);
      } catch (e) {
        // VALIDATION: a key ssh2 cannot parse. Anything else (VAULT_LOCKED) is passed on as is.
        const locked = e instanceof BulwarkError && e.code !== 'VALIDATION';
        verdict = locked ? e : sshError('SSH_PROTOCOL', hop, `${where} presented a host key the engine cannot read`);
      }
      return false;
    };
    cfg.authHandler = plan.handler as unknown as ConnectConfig['authHandler'];

    try {
      client.connect(cfg);
    } catch (e) {
      fail(translateConnectError(e, hop, deps.settings.readyTimeoutMs));
    }
  });
}

/**
 * Connects only to learn the host key: completes the key exchange (so the host proves it holds
 * the private key), then disconnects before any authentication request.
 */
export function probeHop(hop: Hop, deps: Pick<ConnectDeps, 'hostKeys' | 'settings'>, sock?: Duplex, signal?: AbortSignal): Promise<HostPublicKey> {
  return new Promise<HostPublicKey>((resolve, reject) => {
    const client = new Client();
    const cfg = baseConfig(hop, deps, sock);
    const s = new Attempt<HostPublicKey>(client, hop, signal, resolve, reject);
    if (s.done) return;
    let captured: Buffer | undefined;
    client.on('handshake', () => {
      if (!captured || s.done) return;
      try {
        const key = parseHostPublicKey(captured);
        s.finish(key);
      } catch {
        s.finish(undefined, sshError('SSH_PROTOCOL', hop, `${describeHop(hop)} presented a host key the engine cannot read`));
      }
      client.end();
    });
    client.on('error', (e: Error) => s.finish(undefined, translateConnectError(e, hop, deps.settings.readyTimeoutMs)));
    client.on('close', () => s.finish(undefined, sshError('SSH_CONNECTION_LOST', hop, `${describeHop(hop)} closed the connection during the key exchange`)));
    cfg.hostVerifier = (key: Buffer): boolean => {
      captured = Buffer.from(key);
      return true;
    };
    // Never authenticate: not even the "none" method (it would reveal the user name).
    cfg.authHandler = ((_m: unknown, _p: unknown, next: (a: false) => void) => next(false)) as unknown as ConnectConfig['authHandler'];
    try {
      client.connect(cfg);
    } catch (e) {
      s.finish(undefined, translateConnectError(e, hop, deps.settings.readyTimeoutMs));
    }
  });
}

/** A TCP stream to `next` opened through an established connection (ssh -J / direct-tcpip). */
export function openTunnel(via: Connected, next: Hop, signal?: AbortSignal): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(next, 'connecting'));
    const viaName = describeHop(via.hop);
    try {
      via.client.forwardOut('127.0.0.1', 0, next.host, next.port, (err, stream) => {
        if (err) {
          const reason = (err as Error & { reason?: number }).reason;
          if (reason === 1) {
            return reject(sshError('SSH_PROTOCOL', next, `${viaName} refuses to forward to ${describeHop(next)} (AllowTcpForwarding?)`));
          }
          if (reason === undefined || reason === 0 || String(reason) === '') {
            const lost = sshError('SSH_CONNECTION_LOST', next, `Connection to ${viaName} was lost while opening a tunnel to ${describeHop(next)}`);
            return reject(retryable(lost));
          }
          return reject(sshError('SSH_UNREACHABLE', next, `${describeHop(next)} is unreachable from ${viaName}`, { via: via.hop.host }));
        }
        if (signal?.aborted) {
          stream.destroy();
          return reject(aborted(next, 'connecting'));
        }
        resolve(stream);
      });
    } catch {
      reject(retryable(sshError('SSH_CONNECTION_LOST', next, `Connection to ${viaName} is closed`)));
    }
  });
}
