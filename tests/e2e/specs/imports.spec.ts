import { test, expect } from '../fixtures';
import { createVault } from '../steps';

const SSH_CONFIG = `# a typical homelab config
Host *
  User admin
  ServerAliveInterval 30

Host bastion
  HostName 203.0.113.10
  Port 2200

Host pve1 pve2
  HostName %h.lab.example
  ProxyJump bastion

Host nas
  HostName 192.0.2.40
  User root

Host *.internal
  User ops

Host broken
  HostName bad..name
`;

const INVENTORY_INI = `[proxmox]
pve[1:3].lab.example ansible_user=root

[ai]
gpu01 ansible_host=192.0.2.81 ansible_port=2222

[homelab:children]
proxmox
ai
`;

const row = (name: string) => `[data-testid="host-row"][data-host-name="${name}"]`;

test.describe('imports and export', () => {
  test('OpenSSH config import reports added and skipped hosts with reasons', async ({ app }) => {
    const { page } = app;
    await createVault(page);
    await page.getByTestId('import-ssh-button').click();
    await page.getByTestId('import-ssh-file').setInputFiles({ name: 'config', mimeType: 'text/plain', buffer: Buffer.from(SSH_CONFIG) });
    await page.getByTestId('import-ssh-submit').click();
    await expect(page.getByTestId('import-report')).toBeVisible();
    await app.screenshot('import-ssh-report');
    const added = page.getByTestId('import-report-added');
    for (const name of ['bastion', 'pve1', 'pve2', 'nas']) await expect(added).toContainText(name);
    const skipped = page.getByTestId('import-report-skipped');
    await expect(skipped).toContainText('*.internal');
    await expect(skipped).toContainText('broken');
    await page.getByTestId('import-done').click();

    await expect(page.locator(row('pve1'))).toContainText('pve1.lab.example');
    // OpenSSH takes the first value it reads: "Host *" comes first, so its User wins for nas too
    await expect(page.locator(row('nas'))).toContainText('admin');
    if (app.web) {
      const pve2 = app.web.services.hosts.findByName('pve2')!;
      expect(pve2).toMatchObject({ address: 'pve2.lab.example', user: 'admin', port: 22, jumpHost: 'bastion' });
      expect(app.web.services.hosts.findByName('bastion')).toMatchObject({ address: '203.0.113.10', port: 2200, user: 'admin' });
    }
  });

  test('Ansible inventory import turns groups into tags; export gives them back', async ({ app }) => {
    const { page } = app;
    await createVault(page);
    await page.getByTestId('import-ansible-button').click();
    await page.getByTestId('import-ansible-file').setInputFiles({ name: 'hosts.ini', mimeType: 'text/plain', buffer: Buffer.from(INVENTORY_INI) });
    await page.getByTestId('import-ansible-submit').click();
    await expect(page.getByTestId('import-report-summary')).toContainText('4');
    await page.getByTestId('import-done').click();

    await expect(page.locator(row('pve2.lab.example'))).toContainText('homelab');
    await expect(page.locator(row('gpu01'))).toContainText('2222');
    await page.locator('[data-testid="tag-chip"][data-tag="proxmox"]').click();
    await expect(page.getByTestId('host-count')).toHaveAttribute('data-shown', '3');
    await app.screenshot('inventory-tag-filter');

    await page.getByTestId('export-ansible-button').click();
    const text = await page.getByTestId('export-ansible-text').inputValue();
    expect(text).toContain('gpu01:');
    expect(text).toContain('ansible_host: "192.0.2.81"');
    expect(text).toMatch(/proxmox:\s*\n\s+hosts:/);
    await app.screenshot('export-ansible');
  });

  test('a malformed inventory gives a clear error and changes nothing', async ({ app }) => {
    const { page } = app;
    await createVault(page);
    await page.getByTestId('import-ansible-button').click();
    await page.getByTestId('import-ansible-file').setInputFiles({ name: 'bad.yml', mimeType: 'text/plain', buffer: Buffer.from('all:\n  hosts:\n    a: [unclosed\n') });
    await page.getByTestId('import-ansible-submit').click();
    await expect(page.getByTestId('import-error')).toContainText(/line/i);
    await page.getByTestId('import-cancel').click();
    await expect(page.getByTestId('inventory-empty')).toBeVisible();
  });
});
