import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Vault } from '../../../main/services/vault';
import { test, expect } from '../fixtures';
import { createVault, lock, unlock, PASSPHRASE } from '../steps';

test.describe('vault lifecycle', () => {
  test('first run refuses a weak passphrase, shows the recovery key once, then opens the app', async ({ app }) => {
    const { page } = app;
    await expect(page.getByTestId('first-run')).toBeVisible();
    await app.screenshot('first-run');

    await page.getByTestId('create-passphrase').fill('password1');
    await page.getByTestId('create-confirm').fill('password1');
    await expect(page.getByTestId('strength-meter')).toHaveAttribute('data-accepted', 'false');
    await expect(page.getByTestId('create-vault-button')).toBeDisabled();

    await page.getByTestId('create-passphrase').fill(PASSPHRASE);
    await page.getByTestId('create-confirm').fill(PASSPHRASE + 'x');
    await expect(page.getByTestId('create-vault-button')).toBeDisabled();
    await page.getByTestId('create-confirm').fill(PASSPHRASE);
    await expect(page.getByTestId('strength-meter')).toHaveAttribute('data-accepted', 'true');
    await page.getByTestId('create-vault-button').click();

    await expect(page.getByTestId('recovery-key-step')).toBeVisible({ timeout: 20_000 });
    await app.screenshot('recovery-key');
    const key = (await page.getByTestId('recovery-key').innerText()).trim();
    expect(key.replace(/\s+/g, '')).toMatch(/^[0-9A-Z]{50,60}$/);
    // the confirmation needs both the tick and the retyped last group
    await expect(page.getByTestId('recovery-continue')).toBeDisabled();
    await page.getByTestId('recovery-stored-checkbox').check();
    await expect(page.getByTestId('recovery-continue')).toBeDisabled();
    await page.getByTestId('recovery-last-group').fill('ZZZZ');
    await expect(page.getByTestId('recovery-continue')).toBeDisabled();
    await page.getByTestId('recovery-last-group').fill(key.split(/\s+/).at(-1)!);
    await page.getByTestId('recovery-continue').click();

    await expect(page.getByTestId('inventory')).toBeVisible();
    await expect(page.getByTestId('vault-state')).toHaveAttribute('data-state', 'unlocked');
    await app.screenshot('inventory-empty');
    expect(statSync(app.vaultPath).mode & 0o777).toBe(0o600);
    // the key is not shown again after a reload
    await page.reload();
    await expect(page.getByTestId('recovery-key')).toHaveCount(0);
  });

  test('lock, wrong passphrase keeps the typed value and says so, right passphrase unlocks', async ({ app }) => {
    const { page } = app;
    await createVault(page);
    await lock(page);
    await app.screenshot('unlock');

    await page.getByTestId('unlock-passphrase').fill('not the passphrase');
    await page.getByTestId('unlock-button').click();
    await expect(page.getByTestId('unlock-error')).toHaveAttribute('data-code', 'WRONG_PASSPHRASE', { timeout: 20_000 });
    await expect(page.getByTestId('unlock-error')).toContainText(/passphrase/i);
    await expect(page.getByTestId('unlock-passphrase')).toHaveValue('not the passphrase');
    expect(app.web?.services.vault.state()).toBe('locked');

    await unlock(page);
    await expect(page.getByTestId('vault-state')).toHaveAttribute('data-state', 'unlocked');
  });

  test('the recovery key restores access with a new passphrase; the old one stops working', async ({ app }) => {
    const { page } = app;
    const recoveryKey = await createVault(page);
    await lock(page);

    await page.getByTestId('forgot-passphrase').click();
    await expect(page.getByTestId('recover-screen')).toBeVisible();
    const newPassphrase = 'copper heron window 93 glacier';
    await page.getByTestId('recover-passphrase').fill(newPassphrase);
    await page.getByTestId('recover-confirm').fill(newPassphrase);
    // a typo is caught by the key's checksum, before anything is sent
    const typo = recoveryKey.replace(/^[0-9A-Z]/, (c) => (c === 'A' ? 'B' : 'A'));
    await page.getByTestId('recover-key').fill(typo);
    await page.getByTestId('recover-submit').click();
    await expect(page.getByTestId('field-error-recover-key')).toContainText(/mistyped/i);
    // a well-formed key of another vault is refused by main with its own message
    const other = new Vault({ path: join(app.dir, 'other', 'vault.db'), kdf: { N: 2 ** 14, r: 8, p: 1 } });
    const otherKey = other.create(PASSPHRASE).recoveryKey;
    other.close();
    await page.getByTestId('recover-key').fill(otherKey);
    await page.getByTestId('recover-submit').click();
    await expect(page.getByTestId('field-error-recover-key')).toContainText(/different vault/i, { timeout: 20_000 });
    expect(app.web?.services.vault.state() ?? 'locked').toBe('locked');

    await page.getByTestId('recover-key').fill(recoveryKey.toLowerCase());
    await page.getByTestId('recover-submit').click();
    await expect(page.getByTestId('inventory')).toBeVisible({ timeout: 20_000 });

    await lock(page);
    await page.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await page.getByTestId('unlock-button').click();
    await expect(page.getByTestId('unlock-error')).toHaveAttribute('data-code', 'WRONG_PASSPHRASE', { timeout: 20_000 });
    await unlock(page, newPassphrase);
  });

  test('an idle lock from main clears the inventory from the page', async ({ app }) => {
    test.skip(!app.web, 'drives the services in the test process');
    const { page } = app;
    await createVault(page);
    app.web!.services.hosts.create({ name: 'secret-host', address: '198.51.100.7', tags: ['prod'] });
    await page.reload();
    await expect(page.locator('[data-testid="host-row"][data-host-name="secret-host"]')).toBeVisible();

    app.web!.services.vault.lock('idle');
    await expect(page.getByTestId('unlock-screen')).toBeVisible();
    await expect(page.getByTestId('lock-reason')).toHaveAttribute('data-reason', 'idle');
    expect(await page.content()).not.toContain('secret-host');
    expect(await page.content()).not.toContain('198.51.100.7');
  });
});

test('a new recovery key from Settings replaces the old one', async ({ app }) => {
  const { page } = app;
  const oldKey = await createVault(page);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('rotate-passphrase').fill('not my passphrase');
  await page.getByTestId('rotate-submit').click();
  await expect(page.getByTestId('field-error-rotate-passphrase')).toBeVisible({ timeout: 20_000 });

  await page.getByTestId('rotate-passphrase').fill(PASSPHRASE);
  await page.getByTestId('rotate-submit').click();
  await expect(page.getByTestId('recovery-key-step')).toBeVisible({ timeout: 20_000 });
  const newKey = (await page.getByTestId('recovery-key').innerText()).trim().replace(/\s+/g, '-');
  expect(newKey).not.toBe(oldKey);
  await page.getByTestId('recovery-stored-checkbox').check();
  await page.getByTestId('recovery-last-group').fill(newKey.split('-').at(-1)!);
  await page.getByTestId('recovery-continue').click();
  await expect(page.getByTestId('settings')).toBeVisible();

  await lock(page);
  await page.getByTestId('forgot-passphrase').click();
  const next = 'amber falcon ledger 62 prairie';
  await page.getByTestId('recover-passphrase').fill(next);
  await page.getByTestId('recover-confirm').fill(next);
  await page.getByTestId('recover-key').fill(oldKey);
  await page.getByTestId('recover-submit').click();
  await expect(page.getByTestId('field-error-recover-key')).toContainText(/different vault/i, { timeout: 20_000 });
  await page.getByTestId('recover-key').fill(newKey);
  await page.getByTestId('recover-submit').click();
  await expect(page.getByTestId('vault-state')).toHaveAttribute('data-state', 'unlocked', { timeout: 20_000 });
});
