/**
 * `npm run start:web`: prints a one-time link to the app served on 127.0.0.1.
 * There is no OS keychain and no native file picker outside Electron; both say so.
 */
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { BulwarkError } from '../../shared/errors';
import { defaultVaultPath } from '../services/paths';
import { startWebApp } from './web-app';

async function main(): Promise<void> {
  const vaultPath = defaultVaultPath();
  const exportsDir = join(dirname(vaultPath), 'exports');
  const port = process.env.BULWARK_WEB_PORT ? Number(process.env.BULWARK_WEB_PORT) : undefined;
  const app = await startWebApp({
    outDir: join(__dirname, '..'),
    vaultPath,
    sshConfigPath: join(homedir(), '.ssh', 'config'),
    ...(port ? { port } : {}),
    keychain: {
      status: () => ({ available: false, reason: 'The OS keychain is only reachable from the desktop app, not from start:web.' }),
      encrypt: () => {
        throw new BulwarkError('KEYCHAIN_UNAVAILABLE', 'No OS keychain in start:web');
      },
      decrypt: () => {
        throw new BulwarkError('KEYCHAIN_UNAVAILABLE', 'No OS keychain in start:web');
      },
    },
    dialogs: {
      async chooseSavePath({ defaultName }) {
        mkdirSync(exportsDir, { recursive: true, mode: 0o700 });
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        return join(exportsDir, defaultName.replace(/(\.[^.]+)?$/, `-${stamp}$1`));
      },
      async chooseOpenPath() {
        throw new BulwarkError('IO', 'start:web cannot show a file picker: import with `bulwark vault import FILE` instead.');
      },
    },
    log: (line) => console.error(line),
  });
  console.log(`Bulwark is running at:\n\n  ${app.server.url}\n\nThe link works once; the browser that opens it keeps the session. Ctrl+C stops the server.`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((e: unknown) => {
  console.error(`bulwark start:web: ${(e as Error).message}`);
  process.exit(1);
});
