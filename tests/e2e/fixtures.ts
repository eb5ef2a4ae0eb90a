/**
 * The `app` fixture: a fresh vault file on disk, the real services and IPC router, and a page
 * showing the built renderer. Only Electron-only adapters (OS keychain, native file dialogs)
 * are replaced, by the small doubles below.
 */
import { test as base, _electron, type Page } from '@playwright/test';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppServicesOptions, FileDialogs } from '../../main/services/app';
import type { KeychainAdapter } from '../../main/services/vault';
import { startWebApp, type WebApp } from '../../main/web/web-app';

export const ROOT = resolve(__dirname, '../..');
export const OUT = join(ROOT, 'out');
export const SCREENSHOTS = join(ROOT, 'tests', 'artifacts', 'screenshots');

/** Stands in for safeStorage: an AES key that lives as long as the test. */
export function testKeychain(): KeychainAdapter {
  const key = randomBytes(32);
  return {
    status: () => ({ available: true }),
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(blob) {
      const d = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      d.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([d.update(blob.subarray(28)), d.final()]);
    },
  };
}

/** Stands in for the native file pickers: the spec says which path the "user" picks. */
export class TestDialogs implements FileDialogs {
  nextSavePath: string | null = null;
  nextOpenPath: string | null = null;
  async chooseSavePath() {
    return this.nextSavePath;
  }
  async chooseOpenPath() {
    return this.nextOpenPath;
  }
}

export interface AppHandle {
  page: Page;
  dir: string;
  vaultPath: string;
  dialogs: TestDialogs;
  web: WebApp | null;
  /** Saves a screenshot of the current view as a test artifact. */
  screenshot(name: string): Promise<void>;
}

type Options = {
  appKind: 'browser' | 'electron';
  /** Shorter SSH timeouts for specs that cut hosts off (browser tier only). */
  sshTuning: AppServicesOptions['ssh'] | undefined;
};
let reportedMissingElectron = false;

function electronBinary(): string | null {
  const pathTxt = join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const bin = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

export const test = base.extend<Options & { app: AppHandle }>({
  appKind: ['browser', { option: true }],
  sshTuning: [undefined, { option: true }],
  app: async ({ appKind, sshTuning, browser }, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
    const vaultPath = join(dir, 'data', 'vault.db');
    const dialogs = new TestDialogs();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const shot = (page: Page) => async (name: string) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${appKind}-${name}.png`), fullPage: false });
    };

    if (appKind === 'electron') {
      const binary = electronBinary();
      if (!binary && !reportedMissingElectron) {
        reportedMissingElectron = true;
        console.log('[electron] every spec is skipped: node_modules/electron/dist is missing (the binary cannot be downloaded here).');
      }
      testInfo.skip(!binary, 'Electron binary not installed (node_modules/electron/dist is missing; it cannot be downloaded on this machine). The browser project ran the same spec.');
      testInfo.skip(!process.env.DISPLAY, 'No X display: run the electron project under xvfb-run.');
      const electronApp = await _electron.launch({
        executablePath: binary!,
        args: [ROOT],
        env: { ...process.env, BULWARK_VAULT: vaultPath },
      });
      const page = await electronApp.firstWindow();
      await use({ page, dir, vaultPath, dialogs, web: null, screenshot: shot(page) });
      await electronApp.close();
    } else {
      const web = await startWebApp({
        outDir: OUT,
        vaultPath,
        keychain: testKeychain(),
        dialogs,
        sshConfigPath: join(dir, 'ssh_config'),
        ...(sshTuning ? { ssh: sshTuning } : {}),
      });
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(web.server.url);
      await use({ page, dir, vaultPath, dialogs, web, screenshot: shot(page) });
      await context.close();
      await web.close();
    }
    rmSync(dir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
