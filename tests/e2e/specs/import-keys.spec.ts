/**
 * The ssh_config import dialog bringing IdentityFile keys in: an encrypted key is asked for, a
 * second one skipped, and the report shows imported, skipped and failed keys. The keys are made
 * by ssh-keygen in a temp directory this test removes; the config names them by absolute path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeKey } from '../../unit/inventory/ssh-keys-fixtures';
import { test, expect } from '../fixtures';
import { createVault } from '../steps';

const PASS = 'violet compass 31 harbor';

test.describe('ssh_config import with keys', () => {
  let dir: string;
  test.beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-keys-'));
  });
  test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('asks for the passphrase of an encrypted key, skips another, and reports every key file', async ({ app }) => {
    const { page } = app;
    makeKey(join(dir, 'id_plain'));
    makeKey(join(dir, 'id_enc'), { passphrase: PASS });
    makeKey(join(dir, 'id_other'), { passphrase: 'never typed 77' });
    const config = [
      'Host pve1',
      '  HostName 192.0.2.11',
      `  IdentityFile ${join(dir, 'id_enc')}`,
      `  IdentityFile ${join(dir, 'id_plain')}`,
      'Host pve2',
      '  HostName 192.0.2.12',
      `  IdentityFile ${join(dir, 'id_other')}`,
      `  IdentityFile ${join(dir, 'missing')}`,
      '',
    ].join('\n');

    await createVault(page);
    await page.getByTestId('import-ssh-button').click();
    await page.getByTestId('import-ssh-file').setInputFiles({ name: 'config', mimeType: 'text/plain', buffer: Buffer.from(config) });
    await page.getByTestId('import-ssh-submit').click();

    const rows = page.getByTestId('import-passphrase-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(join(dir, 'id_enc'));
    await expect(rows.nth(1)).toContainText(join(dir, 'id_other'));
    await expect(page.getByTestId('import-passphrase-input').first()).toHaveAttribute('type', 'password');
    await page.getByTestId('import-passphrase-input').first().fill(PASS);
    await page.getByTestId('import-passphrase-skip').nth(1).check();
    await expect(page.getByTestId('import-passphrase-input').nth(1)).toBeDisabled();
    await app.screenshot('import-ssh-key-passphrases');
    await page.getByTestId('import-passphrase-submit').click();

    await expect(page.getByTestId('import-report')).toBeVisible();
    await expect(page.getByTestId('import-report-added')).toContainText('pve1');
    await expect(page.getByTestId('import-report-added')).toContainText('pve2');
    const keys = page.getByTestId('import-report-keys');
    await expect(keys.locator('tr[data-result="Imported"]')).toHaveCount(2);
    await expect(keys.locator('tr[data-result="Skipped"]')).toContainText(join(dir, 'id_other'));
    await expect(keys.locator('tr[data-result="Failed"]')).toContainText('no such file');
    await expect(page.getByTestId('import-report-linked')).toContainText('id_enc');
    await app.screenshot('import-ssh-keys-report');

    if (app.web) {
      const { hosts, keys: store } = app.web.services;
      expect(store.get(hosts.findByName('pve1')!.loginKeyId!)?.name).toBe('id_enc');
      expect(hosts.findByName('pve2')!.loginKeyId).toBeNull();
      expect(store.list().map((k) => k.name).sort()).toEqual(['id_enc', 'id_plain']);
    }
  });
});
