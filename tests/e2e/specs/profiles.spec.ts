import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { CONTROLS } from '../../../main/services/hardening/controls';
import { test, expect, type AppHandle } from '../fixtures';
import { createVault, lock, unlock } from '../steps';

const item = (id: string) => `[data-testid="profile-item"][data-profile-id="${id}"]`;
const control = (id: string) => `[data-testid="profile-control"][data-control-id="${id}"]`;
const paramValue = (controlId: string, key: string) => `${control(controlId)} [data-testid="param-value"][data-param="${key}"]`;

/** Custom profiles as main stores them (the browser tier runs the real services in this process). */
function storedIds(app: AppHandle): string[] {
  return app.web ? app.web.services.profiles.list().map((p) => p.id) : [];
}

async function importYaml(page: Page, text: string): Promise<void> {
  await page.getByTestId('profile-import-button').click();
  const dialog = page.getByTestId('profile-import-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('profile-import-text').fill(text);
  await dialog.getByTestId('profile-import-submit').click();
}

test.describe('hardening profiles', () => {
  test('browse, copy with per-field errors, export, import, replace, delete; nothing readable reaches the vault file', async ({ app }) => {
    // one long walk through the view: about 45 s on an idle 2-core machine
    test.slow();
    const { page } = app;
    await createVault(page);
    await page.getByTestId('nav-profiles').click();
    await expect(page.getByTestId('profiles-view')).toBeVisible();

    // --- browse the built-ins
    for (const id of ['guide-baseline', 'strict-ssh', 'proxmox-node']) await expect(page.locator(item(id))).toBeVisible();
    await expect(page.getByTestId('no-custom-profiles')).toBeVisible();
    await page.locator(item('guide-baseline')).click();
    const detail = page.getByTestId('profile-detail');
    await expect(detail).toHaveAttribute('data-profile-id', 'guide-baseline');
    await expect(detail.getByTestId('profile-builtin')).toContainText('read-only');
    await expect(detail.getByTestId('profile-description')).toContainText('Keys-only SSH');
    await expect(detail.getByTestId('profile-control')).toHaveCount(5);
    for (const id of ['ssh-key-access', 'sshd-auth', 'ufw', 'fail2ban', 'containers']) {
      const c = CONTROLS.get(id)!;
      await expect(page.locator(control(id))).toContainText(c.title);
      await expect(page.locator(control(id)).getByTestId('control-reason')).toHaveText(c.reason);
      await expect(page.locator(control(id)).getByTestId('control-kind')).toHaveAttribute('data-kind', c.kind);
    }
    await expect(page.locator(paramValue('fail2ban', 'maxretry'))).toContainText('3');
    await expect(page.locator(paramValue('ufw', 'lanCidr'))).toContainText('none');
    // built-in profiles are read-only: no edit, no delete
    await expect(detail.getByTestId('profile-edit')).toHaveCount(0);
    await expect(detail.getByTestId('profile-delete')).toHaveCount(0);
    await app.screenshot('profiles-browse');

    // --- copy guide-baseline into a custom profile
    await detail.getByTestId('profile-copy').click();
    const editor = page.getByTestId('profile-editor');
    await expect(editor).toBeVisible();
    await expect(editor.getByTestId('profile-field-id')).toHaveValue('guide-baseline-copy');
    await expect(editor.getByTestId('profile-field-name')).toHaveValue('Guide baseline (copy)');
    await expect(editor.getByTestId('control-choice-fail2ban')).toBeChecked();
    await expect(editor.getByTestId('control-choice-sshd-strict')).not.toBeChecked();
    await editor.getByTestId('profile-field-id').fill('lab-baseline');
    await editor.getByTestId('profile-field-name').fill('Lab baseline');

    // a value out of range is caught before sending, under its field; nothing is stored
    await editor.getByTestId('param-fail2ban-maxretry').fill('0');
    await editor.getByTestId('param-ufw-lanCidr').fill('192.168.1.0/24; reboot');
    await editor.getByTestId('profile-save').click();
    await expect(editor.getByTestId('field-error-fail2ban-maxretry')).toHaveText('Max retries must be between 1 and 100');
    await expect(editor.getByTestId('param-fail2ban-maxretry')).toBeFocused();
    expect(storedIds(app)).toEqual([]);

    // a CIDR with shell metacharacters is refused by main, shown under its field; the form keeps every value
    await editor.getByTestId('param-fail2ban-maxretry').fill('5');
    await expect(editor.getByTestId('field-error-fail2ban-maxretry')).toHaveCount(0);
    await editor.getByTestId('profile-save').click();
    await expect(editor.getByTestId('field-error-ufw-lanCidr')).toContainText('"192.168.1.0/24; reboot"');
    await expect(editor.getByTestId('field-error-ufw-lanCidr')).toContainText('prefix length');
    await expect(editor.getByTestId('param-fail2ban-maxretry')).toHaveValue('5');
    await expect(editor.getByTestId('param-ufw-lanCidr')).toHaveValue('192.168.1.0/24; reboot');
    await expect(editor.getByTestId('profile-field-name')).toHaveValue('Lab baseline');
    await expect(editor.getByTestId('profile-form-error')).toHaveCount(0);
    await app.screenshot('profiles-editor-errors');
    expect(storedIds(app)).toEqual([]);

    await editor.getByTestId('param-ufw-lanCidr').fill('192.168.1.0/24');
    await expect(editor.locator('.param-field.is-changed')).toHaveCount(2);
    await editor.getByTestId('profile-save').click();
    await expect(editor).toBeHidden();
    expect(storedIds(app)).toEqual(['lab-baseline']);
    await expect(page.locator(item('lab-baseline'))).toHaveAttribute('aria-current', 'true');
    await expect(detail).toHaveAttribute('data-profile-id', 'lab-baseline');
    await expect(page.locator(paramValue('fail2ban', 'maxretry'))).toContainText('5');
    await expect(page.locator(paramValue('fail2ban', 'maxretry'))).toContainText('changed');
    await expect(page.locator(paramValue('ufw', 'lanCidr'))).toContainText('192.168.1.0/24');
    await expect(page.locator(paramValue('fail2ban', 'bantime'))).not.toContainText('changed');

    // --- export YAML: preview, and the download carries the same text
    await detail.getByTestId('profile-export-yaml').click();
    const exportDialog = page.getByTestId('profile-export-dialog');
    const exported = exportDialog.getByTestId('profile-export-text');
    await expect(exported).toHaveValue(/id: lab-baseline/);
    const yaml = await exported.inputValue();
    expect(yaml).toContain('maxretry: 5');
    expect(yaml).toContain('lanCidr: 192.168.1.0/24');
    const download = page.waitForEvent('download');
    await exportDialog.getByTestId('profile-export-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('lab-baseline.bulwark-profile.yml');
    expect(readFileSync(await file.path(), 'utf8')).toBe(yaml);
    await exportDialog.getByTestId('profile-export-close').click();

    // built-in profiles export too, as Ansible as well
    await page.locator(item('strict-ssh')).click();
    await detail.getByTestId('profile-export-ansible').click();
    await expect(exportDialog.getByTestId('profile-export-text')).toHaveValue(/as an Ansible playbook/);
    await expect(exportDialog.getByTestId('profile-export-download')).toContainText('strict-ssh.ansible.yml');
    await exportDialog.getByTestId('profile-export-close').click();

    // --- import a modified copy as a new profile
    const modified = yaml.replace('id: lab-baseline', 'id: lab-import').replace('name: Lab baseline', 'name: Lab import').replace('maxretry: 5', 'maxretry: 7');
    await importYaml(page, modified);
    await expect(page.getByTestId('profile-import-dialog')).toBeHidden();
    await expect(detail).toHaveAttribute('data-profile-id', 'lab-import');
    await expect(page.locator(paramValue('fail2ban', 'maxretry'))).toContainText('7');
    expect(storedIds(app)).toEqual(['lab-baseline', 'lab-import']);

    // the same id again: main says CONFLICT, and it is replaced only once confirmed
    await importYaml(page, modified.replace('name: Lab import', 'name: Lab import v2'));
    const importDialog = page.getByTestId('profile-import-dialog');
    await expect(importDialog.getByTestId('profile-import-conflict')).toContainText('lab-import');
    await importDialog.getByTestId('profile-import-replace').click();
    await expect(importDialog).toBeHidden();
    await expect(page.getByTestId('profile-name')).toHaveText('Lab import v2');

    // malformed YAML and a bad parameter: a specific error each, and nothing changes
    await importYaml(page, 'bulwark-profile: 1\nid: broken\nname: [unclosed\n');
    await expect(importDialog.getByTestId('profile-import-error')).toContainText(/line \d/);
    await expect(importDialog.getByTestId('profile-import-error')).toHaveAttribute('data-code', 'IMPORT_PARSE');
    await importDialog.getByTestId('profile-import-text').fill(modified.replace('id: lab-import', 'id: lab-bad').replace('maxretry: 7', 'maxretry: 0'));
    await importDialog.getByTestId('profile-import-submit').click();
    await expect(importDialog.getByTestId('profile-import-error')).toContainText('fail2ban');
    await expect(importDialog.getByTestId('profile-import-error')).toContainText('maxretry');
    await app.screenshot('profiles-import-error');
    await importDialog.getByTestId('profile-import-cancel').click();
    expect(storedIds(app)).toEqual(['lab-baseline', 'lab-import']);
    await expect(page.getByTestId('custom-profiles').getByTestId('profile-item')).toHaveCount(2);

    // --- edit keeps the id fixed
    await page.locator(item('lab-baseline')).click();
    const baseline = app.web?.services.profiles.get('lab-baseline') ?? { description: '' };
    await detail.getByTestId('profile-edit').click();
    await expect(editor.getByTestId('profile-field-id')).toHaveAttribute('readonly', '');
    await editor.getByTestId('profile-field-description').fill('Home lab, LAN 192.168.1.0/24 trusted');
    // Escape with edits asks before throwing them away
    await page.keyboard.press('Escape');
    await expect(editor.getByTestId('profile-discard-question')).toBeVisible();
    await editor.getByTestId('profile-keep-editing').click();
    await expect(editor.getByTestId('profile-field-description')).toHaveValue('Home lab, LAN 192.168.1.0/24 trusted');
    // still only being edited: keeping on editing must not have saved anything
    await expect(editor.getByTestId('profile-save')).toBeVisible();
    expect(app.web?.services.profiles.get('lab-baseline')?.description).toBe(baseline.description);
    await editor.getByTestId('profile-save').click();
    await expect(editor).toBeHidden();
    await expect(detail.getByTestId('profile-description')).toHaveText('Home lab, LAN 192.168.1.0/24 trusted');

    // --- what reached the disk is ciphertext only
    await lock(page);
    const bytes = Buffer.concat([readFileSync(app.vaultPath), readFileSync(`${app.vaultPath}-wal`, { flag: 'a+' })]);
    for (const secret of ['lab-baseline', 'Lab baseline', 'lab-import', 'Lab import v2', '192.168.1.0/24', 'Home lab', 'maxretry']) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), secret).toBe(false);
    }
    await unlock(page);
    // the view reads the profiles again after the lock forgot them
    await expect(page.getByTestId('custom-profiles').getByTestId('profile-item')).toHaveCount(2);

    // --- delete both custom profiles, confirmed
    for (const id of ['lab-baseline', 'lab-import']) {
      await page.locator(item(id)).click();
      await detail.getByTestId('profile-delete').click();
      const confirm = page.getByTestId('delete-profile-dialog');
      await expect(confirm).toContainText(id);
      await confirm.getByTestId('delete-profile-confirm').click();
      await expect(confirm).toBeHidden();
      await expect(page.locator(item(id))).toHaveCount(0);
    }
    await expect(page.getByTestId('no-custom-profiles')).toBeVisible();
    expect(storedIds(app)).toEqual([]);
  });
});
