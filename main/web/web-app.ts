/**
 * The app behind start:web and the browser tests: the real services and the real router,
 * served over loopback. Only the Electron-only adapters differ from the desktop app.
 */
import { join } from 'node:path';
import { createAppServices, type AppServices, type AppServicesOptions } from '../services/app';
import { createHandlers } from '../ipc/handlers';
import { createRouter } from '../ipc/router';
import { startWebServer, type WebServer } from './server';

export interface WebAppOptions extends AppServicesOptions {
  /** The build output folder (out/). */
  outDir: string;
  port?: number;
  log?: (line: string) => void;
}

export interface WebApp {
  server: WebServer;
  services: AppServices;
  close(): Promise<void>;
}

export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  const services = createAppServices(options);
  const server = await startWebServer({
    rendererDir: join(options.outDir, 'renderer'),
    bridgeFile: join(options.outDir, 'web-bridge', 'bridge.js'),
    ...(options.port ? { port: options.port } : {}),
    createRouter: (origin) =>
      createRouter({
        handlers: createHandlers(services),
        allowedOrigins: [origin],
        onActivity: () => services.autoLock.touch(),
        onInternalError: (channel, error) => options.log?.(`[ipc] ${channel} failed: ${String(error)}`),
      }),
  });
  const unsubscribe = services.events.subscribe((event, payload) => server.emit(event, payload));
  return {
    server,
    services,
    async close() {
      unsubscribe();
      await server.close();
      await services.dispose();
    },
  };
}
