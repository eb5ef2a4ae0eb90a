// A bare node:https client for tests of the simulator (and of code that talks to it):
// one fresh connection per request, so firewall decisions apply to every call.
import { request } from 'node:https';
import type { PveSim } from './types';

export interface SimResponse {
  status: number;
  reason: string;
  body: string;
  /** Parsed body, or undefined when the body is empty (as for every 401). */
  json: Record<string, unknown> | undefined;
  /** The `data` member of the parsed body. */
  data: unknown;
}

export interface SimRequest {
  token?: string; // "user@realm!id=secret"
  ticket?: string;
  csrf?: string;
  params?: Record<string, string | number>;
}

export function callSim(sim: PveSim, method: string, path: string, o: SimRequest = {}): Promise<SimResponse> {
  const headers: Record<string, string> = {};
  if (o.token) headers.Authorization = `PVEAPIToken=${o.token}`;
  if (o.ticket) headers.Cookie = `PVEAuthCookie=${encodeURIComponent(o.ticket)}`;
  if (o.csrf) headers.CSRFPreventionToken = o.csrf;
  const form = new URLSearchParams(Object.entries(o.params ?? {}).map(([k, v]) => [k, String(v)])).toString();
  const inQuery = method === 'GET' || method === 'DELETE';
  const url = new URL(`/api2/json${path}${inQuery && form ? `?${form}` : ''}`, sim.url);
  if (!inQuery) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: sim.caPem(), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const json = body ? (JSON.parse(body) as Record<string, unknown>) : undefined;
        resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', body, json, data: json?.data });
      });
    });
    req.on('error', reject);
    req.end(inQuery ? undefined : form);
  });
}
