// Reading parameters and writing responses the way pve-http-server does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PveError } from './errors';

export async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, string>> {
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if (!body) return params;
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const [key, value] of Object.entries(parsed)) params[key] = String(value);
  } else {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  }
  return params;
}

export function sendData(res: ServerResponse, data: unknown): void {
  res.writeHead(200, 'OK', { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify({ data }));
}

/**
 * Errors: the message is the HTTP reason phrase. The body is {"data":null} (plus "errors" for
 * parameter failures); since libpve-http-server-perl 5.2.0 (fix #6503, PVE 8.4) the body also
 * repeats it as "message" - simulated for version 9 only.
 */
export function sendError(res: ServerResponse, error: PveError, withMessageField: boolean): void {
  const body: Record<string, unknown> = { data: null };
  if (error.errors) body.errors = error.errors;
  if (withMessageField) body.message = `${error.message}\n`;
  res.writeHead(error.status, error.message.replace(/[\r\n]+/g, ' '), { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/** 401s carry no body at all, only the reason phrase. */
export function sendUnauthorized(res: ServerResponse, reason: string): void {
  res.writeHead(401, reason, { 'Content-Length': '0' });
  res.end();
}
