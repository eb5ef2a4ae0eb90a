/**
 * The app as the renderer reaches it, for channel tests: the real app services with a real
 * vault in a temp dir (created and unlocked), behind the real router with its sender check and
 * the contract's parsing. `call` returns a reply's value (throwing with the error's code and
 * data otherwise); `fails` returns the error a call must give.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ErrorData } from '../../../shared/errors';
import { createAppServices, type AppServices } from '../../../main/services/app';
import { createHandlers } from '../../../main/ipc/handlers';
import { createRouter } from '../../../main/ipc/router';

const ORIGIN = 'http://127.0.0.1:1';
const SENDER = { frameUrl: `${ORIGIN}/`, isMainFrame: true };
export const HARNESS_PASSPHRASE = 'granite orbit lantern 47 meadow';

export interface AppHarness {
  services: AppServices;
  call<T>(channel: string, payload: unknown): Promise<T>;
  fails(channel: string, payload: unknown): Promise<ErrorData>;
  dispose(): Promise<void>;
}

export async function startAppHarness(prefix: string): Promise<AppHarness> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const services = createAppServices({
    vaultPath: join(dir, 'vault.db'),
    keychain: { status: () => ({ available: false, reason: 'test' }), encrypt: () => Buffer.alloc(0), decrypt: () => '' } as never,
    dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => null },
    sshConfigPath: join(dir, 'ssh_config'),
    kdf: { N: 1024, r: 8, p: 1 },
  });
  const router = createRouter({ handlers: createHandlers(services), allowedOrigins: [ORIGIN] });
  const harness: AppHarness = {
    services,
    async call<T>(channel: string, payload: unknown): Promise<T> {
      const r = await router(channel, payload, SENDER);
      if (!r.ok) throw Object.assign(new Error(`${channel}: ${r.error.code}: ${r.error.message}`), { data: r.error });
      return r.value as T;
    },
    async fails(channel: string, payload: unknown): Promise<ErrorData> {
      const r = await router(channel, payload, SENDER);
      expect(r.ok, channel).toBe(false);
      return (r as { error: ErrorData }).error;
    },
    async dispose() {
      await services.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await harness.call('vault:create', { passphrase: HARNESS_PASSPHRASE });
  return harness;
}
