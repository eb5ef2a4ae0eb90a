/**
 * A small typed client for one Proxmox VE API endpoint (`https://HOST:8006/api2/json`).
 *
 * - Auth: an API token (the default: no ticket, no CSRF token), or a user and password that
 *   get a ticket (cookie) and a CSRFPreventionToken for writes; the ticket lives two hours and
 *   is renewed before that with the ticket itself, as Proxmox's own clients do.
 * - TLS: every connection must satisfy the endpoint's pin (tls-pin.ts) before a byte is sent.
 * - Answers are `{"data": ...}`, checked with the caller's zod schema; errors become typed
 *   errors (api-errors.ts).
 * - Writes are never retried here: a write that timed out may have been applied, and only the
 *   caller, re-reading with digests, can tell.
 */
import { fetch, type Agent } from 'undici';
import { BulwarkError, isBulwarkError } from '../../../shared/errors';
import { z } from '../../../shared/zod';
import { apiError } from './api-errors';
import { pemOf, pinnedAgent, type TlsPin } from './tls-pin';

export type PveAuth = { kind: 'token'; tokenId: string; secret: string } | { kind: 'password'; username: string; password: string };

export interface PveClientOptions {
  /** The endpoint's name in the inventory, for messages. */
  name: string;
  /** https://HOST:PORT */
  baseUrl: string;
  pin: TlsPin | null;
  auth: PveAuth;
  timeoutMs?: number;
  now?: () => number;
}

export type Params = Record<string, string | number | boolean | undefined>;

/** Proxmox tickets are valid for two hours; renewing at 100 minutes leaves room for slow calls. */
const TICKET_RENEW_MS = 100 * 60_000;
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'EPIPE']);

// NeedTFA: the password was right but the ticket is only good for a second-factor step
const ticketSchema = z.object({ ticket: z.string().min(1), CSRFPreventionToken: z.string().min(1), username: z.string(), NeedTFA: z.union([z.number(), z.boolean()]).optional() });

/** One path from segments, each encoded: node names and ids never become path syntax. */
export function pvePath(...segments: (string | number)[]): string {
  return `/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`;
}

function encode(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  return q.toString();
}

export class PveClient {
  private readonly agent: Agent;
  private readonly now: () => number;
  private ticket: { value: string; csrf: string; at: number } | undefined;
  private ticketing: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private local: string | undefined;
  private peer: { sha256: string; pem: string } | undefined;

  constructor(private readonly o: PveClientOptions) {
    this.agent = pinnedAgent({
      name: o.name,
      pin: o.pin,
      onConnected: (s) => {
        this.local = s.localAddress ?? this.local;
        const c = s.getPeerCertificate();
        this.peer = { sha256: c.fingerprint256, pem: pemOf(c.raw) };
      },
    });
    this.now = o.now ?? Date.now;
  }

  async get<T>(path: string, schema: z.ZodType<T>, query: Params = {}): Promise<T> {
    const q = encode(query);
    return this.call('GET', q ? `${path}?${q}` : path, undefined, schema);
  }

  /** POST/PUT/DELETE with form parameters (DELETE's go in the query, as the API reads them). */
  async write<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, params: Params, schema: z.ZodType<T>): Promise<T> {
    if (method === 'DELETE') {
      const q = encode(params);
      return this.call(method, q ? `${path}?${q}` : path, undefined, schema);
    }
    return this.call(method, path, encode(params), schema);
  }

  /**
   * This machine's address on the last connection to the endpoint: what the node sees as
   * Bulwark's address (unless a NAT sits between them).
   */
  get localAddress(): string | undefined {
    return this.local?.replace(/^::ffff:/, '');
  }

  /** The certificate the endpoint presented on the last connection (it satisfied the pin). */
  get peerCertificate(): { sha256: string; pem: string } | undefined {
    return this.peer;
  }

  /** Idempotent: a client handed to a check may be closed by it and again by its owner. */
  async close(): Promise<void> {
    this.closing ??= this.agent.close();
    await this.closing;
  }

  private async call<T>(method: string, path: string, body: string | undefined, schema: z.ZodType<T>): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (this.o.auth.kind === 'token') {
      headers.authorization = `PVEAPIToken=${this.o.auth.tokenId}=${this.o.auth.secret}`;
    } else {
      const t = await this.currentTicket();
      headers.cookie = `PVEAuthCookie=${encodeURIComponent(t.value)}`;
      if (method !== 'GET') headers.csrfpreventiontoken = t.csrf;
    }
    const answer = await this.send(method, path, headers, body);
    if (answer.status === 401 && this.o.auth.kind === 'password' && this.ticket) {
      // a ticket the server no longer accepts (its clock, a restart): one fresh login, never for a write's body twice
      this.ticket = undefined;
      if (method === 'GET') return this.call(method, path, body, schema);
    }
    return this.parse(method, path, answer, schema);
  }

  private async send(method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; statusText: string; text: string }> {
    const url = `${this.o.baseUrl.replace(/\/+$/, '')}/api2/json${path}`;
    const timeoutMs = this.o.timeoutMs ?? 30_000;
    try {
      const r = await fetch(url, { method, headers, body, dispatcher: this.agent, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      return { status: r.status, statusText: r.statusText, text: await r.text() };
    } catch (e) {
      throw this.transportError(e, method, path, timeoutMs);
    }
  }

  private transportError(e: unknown, method: string, path: string, timeoutMs: number): BulwarkError {
    const cause = (e as { cause?: unknown }).cause;
    if (isBulwarkError(cause)) return cause;
    if (isBulwarkError(e)) return e;
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new BulwarkError('TIMEOUT', `${this.o.name} did not answer ${method} ${path} within ${timeoutMs / 1000} s${method === 'GET' ? '' : ': the change may or may not have been applied; read it again before retrying'}.`);
    }
    const code = (cause as { code?: string } | undefined)?.code ?? (e as { code?: string }).code;
    if (code && NETWORK_ERRORS.has(code)) return new BulwarkError('PVE_UNREACHABLE', `${this.o.name} (${this.o.baseUrl}) is unreachable: ${code}.`);
    return new BulwarkError('PVE_UNREACHABLE', `${this.o.name} (${this.o.baseUrl}): ${(cause as Error | undefined)?.message ?? (e as Error).message}`);
  }

  private parse<T>(method: string, path: string, a: { status: number; statusText: string; text: string }, schema: z.ZodType<T>): T {
    if (a.status < 200 || a.status >= 300) throw apiError({ node: this.o.name, method, path: path.split('?')[0]!, status: a.status, statusText: a.statusText, body: a.text });
    let json: unknown;
    try {
      json = JSON.parse(a.text);
    } catch {
      throw new BulwarkError('PVE_API_ERROR', `${this.o.name} answered ${method} ${path.split('?')[0]} with something that is not JSON.`);
    }
    const data = (json as { data?: unknown } | null)?.data;
    const r = schema.safeParse(data);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new BulwarkError('PVE_API_ERROR', `${this.o.name} answered ${method} ${path.split('?')[0]} in an unexpected shape${issue ? ` (${issue.path.join('.') || 'data'}: ${issue.message})` : ''}.`);
    }
    return r.data;
  }

  /** The current ticket, logging in (or renewing with the ticket itself) when needed; one login at a time. */
  private async currentTicket(): Promise<{ value: string; csrf: string }> {
    if (this.ticket && this.now() - this.ticket.at < TICKET_RENEW_MS) return this.ticket;
    this.ticketing ??= this.login().finally(() => (this.ticketing = undefined));
    await this.ticketing;
    return this.ticket!;
  }

  private async login(): Promise<void> {
    if (this.o.auth.kind !== 'password') return;
    const { username, password } = this.o.auth;
    const attempt = async (secret: string) => {
      const a = await this.send('POST', '/access/ticket', { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, encode({ username, password: secret }));
      return { a, data: a.status === 200 ? this.parse('POST', '/access/ticket', a, ticketSchema) : null };
    };
    let r = this.ticket ? await attempt(this.ticket.value) : null;
    if (!r?.data) r = await attempt(password);
    if (!r.data) throw apiError({ node: this.o.name, method: 'POST', path: '/access/ticket', status: r.a.status, statusText: r.a.statusText, body: r.a.text });
    if (r.data.NeedTFA) throw new BulwarkError('PVE_AUTH_FAILED', `${username} on ${this.o.name} uses two-factor authentication, which Bulwark cannot answer: create an API token for Bulwark instead (Datacenter > Permissions > API Tokens).`);
    this.ticket = { value: r.data.ticket, csrf: r.data.CSRFPreventionToken, at: this.now() };
  }
}
