/**
 * start:web: the app for machines without a display or an Electron binary. Serves the built
 * renderer and the IPC router on 127.0.0.1 only. The printed link carries a one-time token that
 * is swapped for an HttpOnly session cookie on first use; every other request needs that cookie,
 * the exact Host (against DNS rebinding) and, for writes, our own Origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../shared/contract';
import { SECURITY_HEADERS } from '../assets/csp';
import { readStaticFile } from '../assets/static-files';
import type { Router } from '../ipc/router';

export interface WebServerOptions {
  rendererDir: string;
  bridgeFile: string;
  /** Builds the router once the origin (which includes the port) is known. */
  createRouter: (origin: string) => Router;
  port?: number;
}

export interface WebServer {
  /** The one-time link to open. */
  url: string;
  origin: string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;
const COOKIE = 'bulwark_session';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string | Buffer, contentType = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': contentType, ...extra });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  let oneTimeToken: string | null = randomBytes(32).toString('base64url');
  const sessions = new Set<string>();
  const streams = new Set<ServerResponse>();
  let router: Router | null = null;
  let origin = '';
  let host = '';

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host !== host) return send(res, 421, 'Wrong host');
    const url = new URL(req.url ?? '/', origin);

    const token = url.searchParams.get('token');
    if (req.method === 'GET' && url.pathname === '/' && token !== null) {
      if (!oneTimeToken || !safeEqual(token, oneTimeToken)) {
        return send(res, 403, 'This link is not valid any more. Restart `npm run start:web` for a new one.');
      }
      oneTimeToken = null;
      const session = randomBytes(32).toString('base64url');
      sessions.add(session);
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        Location: '/',
        'Set-Cookie': `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
      });
      return void res.end();
    }

    const session = cookieValue(req, COOKIE);
    if (!session || !sessions.has(session)) return send(res, 403, 'Open the link start:web printed.');

    if (url.pathname === '/ipc') {
      if (req.method !== 'POST') return send(res, 405, 'POST only');
      if (req.headers.origin !== origin) return send(res, 403, 'Cross-origin request refused');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
      const raw = await readBody(req);
      if (raw === null) return send(res, 413, 'Request too large');
      let message: { channel?: unknown; request?: unknown };
      try {
        message = JSON.parse(raw) as typeof message;
      } catch {
        return send(res, 400, 'Malformed JSON');
      }
      const result = await router!(message.channel, message.request, { frameUrl: `${req.headers.origin}/`, isMainFrame: true });
      return send(res, 200, JSON.stringify(result), 'application/json');
    }

    if (req.method !== 'GET') return send(res, 405, 'GET only');
    if (url.pathname === '/events') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/bridge.js') {
      const file = await readStaticFile(join(options.bridgeFile, '..'), '/bridge.js');
      return file ? send(res, 200, file.body, file.contentType) : send(res, 404, 'Not found');
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const file = await readStaticFile(options.rendererDir, '/index.html');
      if (!file) return send(res, 500, 'The renderer is not built: run `npm run build`.');
      // the bridge must define window.bulwark before the (deferred) module script runs
      const html = file.body.toString('utf8').replace('<head>', '<head>\n    <script src="./bridge.js"></script>');
      return send(res, 200, html, file.contentType);
    }
    if (url.pathname.startsWith('/assets/')) {
      const file = await readStaticFile(options.rendererDir, url.pathname);
      return file ? send(res, 200, file.body, file.contentType) : send(res, 404, 'Not found');
    }
    return send(res, 404, 'Not found');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  router = options.createRouter(origin);

  return {
    url: `${origin}/?token=${oneTimeToken}`,
    origin,
    emit(event, payload) {
      const data = `data: ${JSON.stringify({ event, payload })}\n\n`;
      for (const s of streams) s.write(data);
    },
    close() {
      for (const s of streams) s.end();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
