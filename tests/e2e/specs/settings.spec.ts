import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../fixtures';
import { createVault, lock, unlock, PASSPHRASE } from '../steps';

test.describe('settings', () => {
  test('OS keychain unlock, auto-lock minutes and every section named honestly', async ({ app }) => {
    const { page } = app;
    await createVault(page);
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('settings')).toBeVisible();
    await expect(page.getByTestId('vault-path')).toContainText(app.vaultPath);
    await app.screenshot('settings');

    await page.getByTestId('autolock-minutes').fill('5');
    await page.getByTestId('autolock-save').click();
    await expect.poll(() => app.web?.services.vault.getAutoLockMinutes()).toBe(5);

    await page.getByTestId('keychain-toggle').check();
    await expect(page.getByTestId('keychain-toggle')).toBeChecked();
    await lock(page);
    await page.getByTestId('unlock-keychain').click();
    await expect(page.getByTestId('settings')).toBeVisible({ timeout: 20_000 });

    await page.getByTestId('theme-dark').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await app.screenshot('settings-dark');

    // every section is built: each shows its view, none a placeholder
    for (const section of ['profiles', 'runs', 'logs', 'proxmox']) {
      await page.getByTestId(`nav-${section}`).click();
      await expect(page.getByTestId(`${section}-view`)).toBeVisible();
      await expect(page.getByTestId(`not-built-${section}`)).toHaveCount(0);
    }
    // with no endpoint yet, the Proxmox view explains itself and offers to add one
    await expect(page.getByTestId('pve-empty-add')).toBeVisible();
    await app.screenshot('section-proxmox');
  });

  test('change passphrase, then export and import the vault through the file dialogs', async ({ app }) => {
    test.skip(!app.web, 'native file dialogs cannot be driven in the Electron tier');
    const { page } = app;
    await createVault(page);
    app.web!.services.hosts.create({ name: 'kept-host', address: '192.0.2.77' });

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('change-current').fill('wrong passphrase here');
    const next = 'velvet comet harbor 58 thistle';
    await page.getByTestId('change-passphrase').fill(next);
    await page.getByTestId('change-confirm').fill(next);
    await page.getByTestId('change-submit').click();
    await expect(page.getByTestId('field-error-change-current')).toBeVisible({ timeout: 20_000 });
    await page.getByTestId('change-current').fill(PASSPHRASE);
    await page.getByTestId('change-submit').click();
    await expect(page.getByTestId('change-error')).toHaveCount(0);
    await expect(page.getByTestId('change-current')).toHaveValue('', { timeout: 20_000 });

    const exportFile = join(app.dir, 'backup.bwx');
    app.dialogs.nextSavePath = exportFile;
    await page.getByTestId('vault-export-button').click();
    await page.getByTestId('vault-export-passphrase').fill('export secret 71 marble canyon');
    await page.getByTestId('vault-export-confirm').fill('export secret 71 marble canyon');
    await page.getByTestId('vault-export-submit').click();
    await expect(page.getByTestId('vault-export-done')).toBeVisible({ timeout: 20_000 });
    expect(existsSync(exportFile)).toBe(true);
    await page.getByTestId('vault-export-done').click();

    // remove the host, then bring it back from the export; a wrong passphrase changes nothing
    const id = app.web!.services.hosts.findByName('kept-host')!.id;
    app.web!.services.hosts.delete([id]);
    app.dialogs.nextOpenPath = exportFile;
    await page.getByTestId('vault-import-button').click();
    await page.getByTestId('vault-import-passphrase').fill('not the export passphrase');
    await page.getByTestId('vault-import-submit').click();
    await expect(page.getByTestId('field-error-vault-import-passphrase')).toContainText(/passphrase/i, { timeout: 20_000 });
    expect(app.web!.services.hosts.findByName('kept-host')).toBeUndefined();
    await page.getByTestId('vault-import-passphrase').fill('export secret 71 marble canyon');
    await page.getByTestId('vault-import-submit').click();
    await expect(page.getByTestId('vault-import-done')).toBeVisible({ timeout: 20_000 });
    expect(app.web!.services.hosts.findByName('kept-host')).toBeDefined();
    await page.getByTestId('vault-import-done').click();

    await lock(page);
    await unlock(page, next);
  });
});
