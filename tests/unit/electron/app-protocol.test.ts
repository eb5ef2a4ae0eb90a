/**
 * The app:// scheme: registered privileged before 'ready', and a protocol.handle handler that
 * serves the built renderer with the CSP and security headers. The handler is captured from the
 * mocked protocol module and driven with real Request objects.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

type ProtocolHandler = (request: Request) => Promise<Response> | Response;

const h = vi.hoisted(() => {
  const state: { handler: ProtocolHandler | null } = { handler: null };
  const protocol = {
    registerSchemesAsPrivileged: vi.fn(),
    handle: vi.fn((_scheme: string, fn: ProtocolHandler) => {
      state.handler = fn;
    }),
  };
  return { state, protocol };
});

vi.mock('electron', () => ({ protocol: h.protocol }));

import { APP_ORIGIN, APP_SCHEME, registerAppScheme, serveRenderer } from '../../../main/windows/app-protocol';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../../main/assets/csp';

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>';
const APP_JS = 'console.log("bulwark");\n';
const SECRET = 'export const secret = "outside the renderer";\n';

let root: string;
let rendererDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bulwark-app-protocol-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), APP_JS);
  // files a traversal would reach: next to the renderer, and in a sibling whose name extends it
  writeFileSync(join(root, 'secret.js'), SECRET);
  mkdirSync(join(root, 'renderer-evil'));
  writeFileSync(join(root, 'renderer-evil', 'secret.js'), SECRET);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  vi.clearAllMocks();
  h.state.handler = null;
});

/** Asks the handler that serveRenderer registered, as Electron would. */
async function get(url: string, init?: RequestInit): Promise<Response> {
  if (!h.state.handler) serveRenderer(rendererDir);
  return h.state.handler!(new Request(url, init));
}

describe('registerAppScheme', () => {
  it("registers 'app' as a standard, secure scheme and nothing more", () => {
    expect(APP_SCHEME).toBe('app');
    expect(APP_ORIGIN).toBe('app://bulwark');
    registerAppScheme();
    expect(h.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    const [schemes] = h.protocol.registerSchemesAsPrivileged.mock.calls[0] as [Array<{ scheme: string; privileges: Record<string, boolean> }>];
    expect(schemes).toHaveLength(1);
    expect(schemes[0]!.scheme).toBe('app');
    expect(schemes[0]!.privileges).toMatchObject({ standard: true, secure: true });
    // privileges that would weaken the page must stay off
    expect(schemes[0]!.privileges.bypassCSP).not.toBe(true);
    expect(schemes[0]!.privileges.allowServiceWorkers).not.toBe(true);
    expect(schemes[0]!.privileges.stream).not.toBe(true);
  });
});

describe('serveRenderer', () => {
  it("registers one handler, for the 'app' scheme", () => {
    serveRenderer(rendererDir);
    expect(h.protocol.handle).toHaveBeenCalledTimes(1);
    expect(h.protocol.handle.mock.calls[0]![0]).toBe('app');
    expect(h.state.handler).toBeTypeOf('function');
  });

  it('serves index.html with the CSP and every security header', async () => {
    const res = await get('app://bulwark/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe(INDEX_HTML);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(res.headers.get(name), name).toBe(value);
    }
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends a CSP that locks the page to its own origin', async () => {
    const csp = (await get('app://bulwark/index.html')).headers.get('content-security-policy');
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    const directives = new Map(
      csp!.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values.join(' ')] as const;
      }),
    );
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('serves / as index.html and nested assets with their type', async () => {
    const index = await get('app://bulwark/');
    expect(index.status).toBe(200);
    expect(await index.text()).toBe(INDEX_HTML);

    const js = await get('app://bulwark/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await js.text()).toBe(APP_JS);
  });

  it('answers 404 for any host other than bulwark', async () => {
    for (const url of ['app://evil/index.html', 'app://bulwark.evil/index.html', 'app://bulwark:8080/index.html', 'app://x.bulwark/index.html']) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('answers 404 for anything but GET', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      const res = await get('app://bulwark/index.html', { method });
      expect(res.status, method).toBe(404);
      expect(res.headers.get('content-type') ?? '', method).not.toContain('text/html');
    }
  });

  it('answers 404 for missing files and unknown file types', async () => {
    for (const url of ['app://bulwark/nope.html', 'app://bulwark/assets/', 'app://bulwark/assets', 'app://bulwark/assets/nope.js']) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of [
      'app://bulwark/../secret.js',
      'app://bulwark/../../etc/passwd',
      'app://bulwark/%2e%2e/secret.js',
      'app://bulwark/%2E%2E/%2e%2e/etc/passwd',
      // an encoded slash keeps the dots inside one URL segment; only the server's own check stops it
      'app://bulwark/..%2Fsecret.js',
      'app://bulwark/..%2f..%2fetc%2fpasswd',
      'app://bulwark/assets/..%2F..%2Fsecret.js',
      'app://bulwark/..%2Frenderer-evil%2Fsecret.js',
      'app://bulwark/%2Fetc%2Fpasswd',
      `app://bulwark/${encodeURIComponent(join(root, 'secret.js'))}`,
      'app://bulwark/index.html%00.js',
      'app://bulwark/%E0%A4%A',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain('outside the renderer');
    }
  });

  it('the traversal cases above really reach the folder check', async () => {
    // URL parsing removes plain and %2e dot segments itself; an encoded slash survives it
    expect(new URL(new Request('app://bulwark/..%2Fsecret.js').url).pathname).toBe('/..%2Fsecret.js');
    // and the same file is served when asked for inside the folder
    writeFileSync(join(rendererDir, 'inside.js'), SECRET);
    try {
      expect((await get('app://bulwark/inside.js')).status).toBe(200);
    } finally {
      rmSync(join(rendererDir, 'inside.js'));
    }
  });
});
