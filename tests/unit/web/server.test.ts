import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRouter, type Handlers } from '../../../main/ipc/router';
import { startWebServer, type WebServer } from '../../../main/web/server';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function http(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

let server: WebServer;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-web-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<html><head></head><body>app</body></html>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  mkdirSync(join(dir, 'bridge'));
  writeFileSync(join(dir, 'bridge', 'bridge.js'), 'window.bulwark = {}');
  const handlers = { 'vault:status': () => ({ state: 'absent', path: '/v', autoLockMinutes: 15, keychain: { available: false, enrolled: false } }) } as unknown as Handlers;
  server = await startWebServer({
    rendererDir: join(dir, 'renderer'),
    bridgeFile: join(dir, 'bridge', 'bridge.js'),
    createRouter: (origin) => createRouter({ handlers, allowedOrigins: [origin] }),
  });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function login(): Promise<string> {
  const r = await http(server.url);
  expect(r.status).toBe(303);
  const cookie = String(r.headers['set-cookie']).split(';')[0]!;
  expect(String(r.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  return cookie;
}

describe('start:web server', () => {
  it('binds loopback only and prints a tokenised link', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('accepts the token once, then refuses it', async () => {
    await login();
    const again = await http(server.url);
    expect(again.status).toBe(403);
  });

  it('refuses a wrong token and everything without the session cookie', async () => {
    expect((await http(`${server.origin}/?token=wrong`)).status).toBe(403);
    expect((await http(`${server.origin}/`)).status).toBe(403);
    expect((await http(`${server.origin}/assets/app.js`)).status).toBe(403);
  });

  it('serves the app with the bridge injected and the CSP header', async () => {
    const cookie = await login();
    const r = await http(`${server.origin}/`, { headers: { Cookie: cookie } });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<script src="./bridge.js"></script>');
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await http(`${server.origin}/bridge.js`, { headers: { Cookie: cookie } })).body).toContain('window.bulwark');
  });

  it('serves no other path, including traversal attempts', async () => {
    const cookie = await login();
    for (const path of ['/secret.txt', '/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/renderer/index.html', '/package.json']) {
      const r = await http(`${server.origin}${path}`, { headers: { Cookie: cookie } });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('outside the renderer');
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await http(server.url, { headers: { Host: 'evil.example:80' } });
    expect(r.status).toBe(421);
  });

  it('routes IPC from our origin and refuses other origins', async () => {
    const cookie = await login();
    const body = JSON.stringify({ channel: 'vault:status', request: {} });
    const ok = await http(`${server.origin}/ipc`, { method: 'POST', body, headers: { Cookie: cookie, Origin: server.origin, 'Content-Type': 'application/json' } });
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { state: 'absent' } });
    const cross = await http(`${server.origin}/ipc`, { method: 'POST', body, headers: { Cookie: cookie, Origin: 'http://evil.example', 'Content-Type': 'application/json' } });
    expect(cross.status).toBe(403);
    const unknown = await http(`${server.origin}/ipc`, { method: 'POST', body: JSON.stringify({ channel: 'fs:read', request: {} }), headers: { Cookie: cookie, Origin: server.origin, 'Content-Type': 'application/json' } });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });
});
