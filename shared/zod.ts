/**
 * The zod every shared schema is built with. zod probes `new Function('')` while building
 * object schemas, to decide whether it may compile fast parsers; in a page (the renderer, the
 * sandboxed preload, the start:web bridge) our CSP forbids eval, so the probe fails and
 * Chromium reports a CSP violation. Switching to jitless before any schema exists avoids the
 * probe there; the main process keeps the compiled parsers.
 */
import { z } from 'zod';

if (typeof (globalThis as { document?: unknown }).document !== 'undefined') z.config({ jitless: true });

export { z };
