// startPveSim: an HTTPS server on 127.0.0.1 answering like pveproxy on port 8006.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { authenticate, login, TicketStore } from './auth';
import { CertificateAuthority, type KeyPair, selfSignedCertificate, sha256Fingerprint } from './certs';
import { applyConcurrentEdit } from './concurrent-edit';
import { PveError } from './errors';
import { inboundAllowed } from './firewall';
import { createState } from './model';
import { readParams, sendData, sendError, sendUnauthorized } from './request-io';
import { Router } from './router';
import { clusterRoutes } from './routes/cluster';
import { certificateRoutes } from './routes/certificates';
import { firewallRoutes } from './routes/firewall';
import { networkRoutes } from './routes/network';
import { guestRoutes } from './routes/guests';
import { nodeGuestRoutes } from './routes/node-guests';
import { poolRoutes } from './routes/pools';
import type { PveSim, PveSimOptions, SimRequestRecord, WriteTarget } from './types';

const BASE_PATH = '/api2/json';
/** The simulator listens on a random port, but the firewall judges traffic as pveproxy's port. */
const PVEPROXY_PORT = 8006;
/** Calls that reach into a guest: the QEMU guest agent, and `nsenter … ip a` for a container. */
const GUEST_CALL = /^\/nodes\/[^/]+\/(qemu\/[^/]+\/agent\/|lxc\/[^/]+\/interfaces$)/;

export async function startPveSim(o: PveSimOptions = {}): Promise<PveSim> {
  const state = createState(o);
  const tokens = o.tokens ?? [];
  const users = o.users ?? [];
  const tickets = new TicketStore(o.ticketLifetimeSeconds ?? 7200);
  const authFailDelayMs = o.authFailDelayMs ?? 3000;
  const latencyMs = o.latencyMs ?? 0;
  const guestAgentLatencyMs = o.guestAgentLatencyMs ?? 0;
  const nodeName = state.nodes[0]?.name ?? 'pve1';
  const router = new Router([...clusterRoutes, ...certificateRoutes, ...networkRoutes, ...guestRoutes, ...firewallRoutes, ...nodeGuestRoutes, ...poolRoutes]);
  const pendingEdits: WriteTarget[] = [];
  const requests: SimRequestRecord[] = [];
  const sockets = new Set<Socket>();

  let ca = CertificateAuthority.create();
  let leaf = ca.issueLeaf(nodeName);
  let custom: KeyPair | null = null;
  const served = () => custom ?? leaf;
  const server = createServer({ key: leaf.keyPem, cert: leaf.certPem });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (o.statelessFirewall && !inboundAllowed(state, req.socket.remoteAddress ?? '', PVEPROXY_PORT)) {
      sim.droppedConnections++;
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'https://localhost');
    const method = req.method ?? 'GET';
    const apiPath = url.pathname.startsWith(BASE_PATH) ? url.pathname.slice(BASE_PATH.length) : url.pathname;
    const sentAuth = req.headers.authorization?.startsWith('PVEAPIToken=') ? 'token' : req.headers.cookie?.includes('PVEAuthCookie=') ? 'ticket' : 'none';
    const record: SimRequestRecord = { method, path: url.pathname, auth: sentAuth, status: 0 };
    requests.push(record);
    const finish = (send: () => void) => {
      send();
      record.status = res.statusCode;
    };
    const fail = (error: PveError) => finish(() => sendError(res, error, state.version === 9));
    // Real PVE answers failed logins only after a pause, to slow down password guessing.
    const unauthorized = async (reason: string) => {
      await delay(authFailDelayMs);
      finish(() => sendUnauthorized(res, reason));
    };

    let params: Record<string, string>;
    try {
      params = await readParams(req, url);
    } catch {
      return fail(new PveError(400, 'Parameter verification failed.'));
    }
    // the node's own work per request (latencyMs), more for calls into a guest; other requests go on meanwhile
    const latency = latencyMs + (GUEST_CALL.test(apiPath) ? guestAgentLatencyMs : 0);
    if (latency > 0) await delay(latency);

    if (method === 'POST' && apiPath === '/access/ticket') {
      const user = login(params, users, tickets);
      if (!user) return unauthorized('authentication failure');
      if (user.tfa) {
        // PVE 7.2+: the half-ticket only opens /access/tfa; it is not a login, so it is not stored
        const hexTime = Math.floor(Date.now() / 1000).toString(16).toUpperCase();
        return finish(() => sendData(res, { username: user.userid, ticket: `PVE:!tfa!${encodeURIComponent('{"totp":true}')}:${hexTime}::sim`, CSRFPreventionToken: `${hexTime}:sim`, NeedTFA: 1 }));
      }
      const { ticket, csrf } = tickets.issue(user.userid);
      return finish(() => sendData(res, { username: user.userid, ticket, CSRFPreventionToken: csrf }));
    }

    // pveproxy authenticates before it looks up the handler, so unknown paths need credentials too.
    const auth = authenticate(req, state.version, tokens, users, tickets);
    if ('failure' in auth) return unauthorized(auth.failure);

    const match = router.match(method, apiPath);
    if (!match) return fail(new PveError(501, `Method '${method} ${apiPath}' not implemented`));

    if (method !== 'GET') {
      for (const target of pendingEdits.splice(0)) applyConcurrentEdit(state, target);
    }
    try {
      const data = match.route.handler({ state, caller: auth.caller, params, path: match.path, fingerprint: () => sim.fingerprint(), certificates: () => ({ caPem: ca.ca.certPem, nodePem: leaf.certPem, customPem: custom?.certPem ?? null }) });
      finish(() => sendData(res, data));
    } catch (error) {
      fail(error instanceof PveError ? error : new PveError(500, String(error)));
    }
  }

  // Checked per new connection, like iptables with conntrack: established connections survive.
  server.on('connection', (socket: Socket) => {
    if (!inboundAllowed(state, socket.remoteAddress ?? '', PVEPROXY_PORT)) {
      sim.droppedConnections++;
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => void handle(req, res));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const sim: PveSim = {
    url: `https://127.0.0.1:${port}`,
    fingerprint: () => sha256Fingerprint(served().certPem),
    caFingerprint: () => sha256Fingerprint(ca.ca.certPem),
    caPem: () => ca.ca.certPem,
    certPem: () => served().certPem,
    rotateCertificate({ sameCa }) {
      if (!sameCa) {
        ca.dispose();
        ca = CertificateAuthority.create();
      }
      leaf = ca.issueLeaf(nodeName);
      custom = null;
      server.setSecureContext({ key: leaf.keyPem, cert: leaf.certPem });
    },
    installCustomCertificate() {
      custom = selfSignedCertificate(nodeName);
      server.setSecureContext({ key: custom.keyPem, cert: custom.certPem });
    },
    state,
    changeBeforeNextWrite: (target) => void pendingEdits.push(target),
    requests,
    droppedConnections: 0,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      ca.dispose();
    },
  };
  return sim;
}
