/** Steps the specs share: the user-visible ways through the vault screens. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const PASSPHRASE = 'granite orbit lantern 47 meadow';

/** Creates the vault through the first-run screen; returns the recovery key it showed. */
export async function createVault(page: Page, passphrase = PASSPHRASE): Promise<string> {
  await expect(page.getByTestId('first-run')).toBeVisible();
  await page.getByTestId('create-passphrase').fill(passphrase);
  await page.getByTestId('create-confirm').fill(passphrase);
  await page.getByTestId('create-vault-button').click();
  await expect(page.getByTestId('recovery-key-step')).toBeVisible({ timeout: 20_000 });
  const recoveryKey = (await page.getByTestId('recovery-key').innerText()).replace(/\s+/g, '-');
  const lastGroup = recoveryKey.split('-').filter(Boolean).at(-1)!;
  await page.getByTestId('recovery-stored-checkbox').check();
  await page.getByTestId('recovery-last-group').fill(lastGroup);
  await page.getByTestId('recovery-continue').click();
  await expect(page.getByTestId('inventory')).toBeVisible();
  return recoveryKey;
}

export async function lock(page: Page): Promise<void> {
  await page.getByTestId('lock-button').click();
  await expect(page.getByTestId('unlock-screen')).toBeVisible();
}

export async function unlock(page: Page, passphrase = PASSPHRASE): Promise<void> {
  await page.getByTestId('unlock-passphrase').fill(passphrase);
  await page.getByTestId('unlock-button').click();
  // the app returns to the section that was open when it locked
  await expect(page.getByTestId('vault-state')).toHaveAttribute('data-state', 'unlocked', { timeout: 20_000 });
}

export interface HostFormValues {
  name?: string;
  address?: string;
  port?: string;
  user?: string;
  jumpHost?: string;
  tags?: string;
  notes?: string;
}

export async function fillHostForm(page: Page, values: HostFormValues): Promise<void> {
  const dialog = page.getByTestId('host-dialog');
  for (const [field, value] of Object.entries(values)) {
    if (value !== undefined) await dialog.getByTestId(`field-${field}`).fill(value);
  }
}

/**
 * Adds a host through the inventory's editor; `loginKey` is the label of the Login key option
 * ("name (ED25519)"), `sudoPassword` goes through the Set… control.
 */
export async function addHost(page: Page, values: HostFormValues, opts: { sudoPassword?: string; loginPassword?: string; loginKey?: string } = {}): Promise<void> {
  await page.getByTestId('nav-inventory').click();
  await page.getByTestId('add-host').click();
  const dialog = page.getByTestId('host-dialog');
  await expect(dialog).toBeVisible();
  await fillHostForm(page, values);
  if (opts.loginKey !== undefined) await dialog.getByTestId('field-loginKeyId').selectOption({ label: opts.loginKey });
  if (opts.sudoPassword !== undefined) {
    await dialog.getByTestId('sudo-password-set').click();
    await dialog.getByTestId('sudo-password-input').fill(opts.sudoPassword);
  }
  if (opts.loginPassword !== undefined) {
    await dialog.getByTestId('login-password-set').click();
    await dialog.getByTestId('login-password-input').fill(opts.loginPassword);
  }
  await dialog.getByTestId('host-save').click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(`[data-testid="host-row"][data-host-name="${values.name}"]`)).toBeVisible();
}
