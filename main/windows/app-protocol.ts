/**
 * Serves the built renderer from app://bulwark/ so the window has a real origin the IPC router
 * can check, and every response carries the CSP header (a meta tag cannot set frame-ancestors).
 */
import { protocol } from 'electron';
import { SECURITY_HEADERS } from '../assets/csp';
import { readStaticFile } from '../assets/static-files';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://bulwark';

/** Must run before app 'ready'. corsEnabled: Vite marks its module scripts crossorigin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain', ...SECURITY_HEADERS } });
    if (url.host !== 'bulwark' || request.method !== 'GET') return notFound();
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) return notFound();
    return new Response(new Uint8Array(file.body), { headers: { 'Content-Type': file.contentType, ...SECURITY_HEADERS } });
  });
}
