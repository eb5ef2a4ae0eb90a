import { readFileSync } from 'node:fs';
import { test, expect } from '../fixtures';
import { createVault, fillHostForm, lock, unlock } from '../steps';

const row = (name: string) => `[data-testid="host-row"][data-host-name="${name}"]`;

test.describe('inventory editing', () => {
  test('add with per-field errors, edit, delete; nothing readable reaches the vault file', async ({ app }) => {
    const { page } = app;
    await createVault(page);

    await page.getByTestId('add-host').click();
    await expect(page.getByTestId('host-dialog')).toBeVisible();
    await fillHostForm(page, { name: 'pve-01', address: '300.1.2.3', port: '70000', user: '9bad user', tags: 'prod, Bad Tag!' });
    await page.getByTestId('host-save').click();
    await expect(page.getByTestId('field-error-address')).toContainText(/IPv4/);
    await expect(page.getByTestId('field-error-port')).toContainText(/between 1 and 65535/);
    await expect(page.getByTestId('field-error-user')).toBeVisible();
    await expect(page.getByTestId('field-error-tags')).toBeVisible();
    await app.screenshot('host-dialog-errors');
    // nothing was stored
    expect(app.web ? app.web.services.hosts.list() : []).toEqual([]);

    await fillHostForm(page, {
      address: 'fd00:10::21',
      port: '2222',
      user: 'admin',
      tags: 'prod, proxmox',
      jumpHost: 'ops@bastion.lab.example:2200',
      notes: 'rack B, "left" shelf',
    });
    await page.getByTestId('host-save').click();
    await expect(page.getByTestId('host-dialog')).toBeHidden();
    await expect(page.locator(row('pve-01'))).toContainText('fd00:10::21');

    // a duplicate name is refused by main and shown under the name field
    await page.getByTestId('add-host').click();
    await fillHostForm(page, { name: 'PVE-01', address: '192.0.2.50' });
    await page.getByTestId('host-save').click();
    await expect(page.getByTestId('field-error-name')).toBeVisible();
    await page.getByTestId('host-cancel').click();

    // edit
    await page.locator(row('pve-01')).getByTestId('row-edit').click();
    await fillHostForm(page, { address: '192.0.2.21' });
    await page.getByTestId('host-save').click();
    await expect(page.locator(row('pve-01'))).toContainText('192.0.2.21');
    await app.screenshot('inventory');

    // what reached the disk is ciphertext only
    await lock(page);
    const bytes = Buffer.concat([readFileSync(app.vaultPath), readFileSync(`${app.vaultPath}-wal`, { flag: 'a+' })]);
    for (const secret of ['pve-01', '192.0.2.21', 'fd00:10::21', 'bastion.lab.example', 'admin', 'rack B', 'proxmox']) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), secret).toBe(false);
    }
    await unlock(page);

    // delete, confirmed
    await page.locator(row('pve-01')).getByTestId('row-checkbox').check();
    await page.getByTestId('delete-selected').click();
    await expect(page.getByTestId('delete-dialog')).toContainText('pve-01');
    await page.getByTestId('confirm-delete').click();
    await expect(page.locator(row('pve-01'))).toHaveCount(0);
    await expect(page.getByTestId('inventory-empty')).toBeVisible();
  });
});
