/**
 * From a Proxmox endpoint to hardened guests, through the UI only. The endpoint is the
 * project's HTTPS simulator of the public Proxmox VE API (tests/pve-sim: a simulator, not
 * Proxmox VE), whose guests are two real fleet hosts: the simulator reports their fleet
 * addresses, so the chain runs from the certificate check and the token, through sync and
 * "add as hosts", to Bulwark deploying its key and applying the Guide baseline over SSH.
 * The hosts are put back as they were at the end.
 */
import type { Page } from '@playwright/test';
import type { Fleet, FleetHost } from '../../fleet/fleet';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, ROOT_USER, sampleFleet } from '../../pve-sim/sample-fleet';
import { expect, test } from '../fleet-fixture';
import { addHost, createVault } from '../steps';

test.use({ sshTuning: { readyTimeoutMs: 5_000, keepaliveIntervalMs: 1_000 } });
test.describe.configure({ timeout: 420_000 });

const hostRow = (page: Page, name: string) => page.locator(`[data-testid="host-row"][data-host-name="${name}"]`);
const guestRow = (page: Page, vmid: number) => page.locator(`[data-testid="pve-guest"][data-vmid="${vmid}"]`);
const asRoot = (fleet: Fleet, h: FleetHost, command: string) =>
  fleet.ssh(h, `sudo -S -p '' sh -c '${command.replace(/'/g, "'\\''")}'`, { user: 'admin', input: `${h.adminPassword}\n` });

/** Adds the simulator as endpoint "homelab" through the dialog; leaves the dialog on its report. */
async function addEndpoint(page: Page, sim: PveSim, signIn: 'token' | 'password' = 'token', screenshot?: (name: string) => Promise<void>): Promise<void> {
  await page.getByTestId('nav-proxmox').click();
  await page.getByTestId('pve-empty-add').click();
  const add = page.getByTestId('pve-add-dialog');
  await add.getByTestId('pve-name').fill('homelab');
  await add.getByTestId('pve-address').fill('127.0.0.1');
  await add.getByTestId('pve-port').fill(new URL(sim.url).port);
  if (signIn === 'token') {
    await add.getByTestId('pve-token-id').fill(ADMIN_TOKEN.id);
    await add.getByTestId('pve-token-secret').fill(ADMIN_TOKEN.secret);
  } else {
    await add.getByTestId('pve-auth-password').check();
    await add.getByTestId('pve-user').fill(ROOT_USER.userid);
    await add.getByTestId('pve-password').fill(ROOT_USER.password);
  }
  await expect(add.getByTestId('pve-add-submit')).toBeDisabled();
  await add.getByTestId('pve-check-cert').click();
  // shown in groups of four bytes: compared digit for digit
  await expect.poll(async () => (await add.getByTestId('pve-cert-sha256').innerText()).replace(/[\s:]/g, '')).toBe(sim.fingerprint().replace(/:/g, ''));
  await add.getByTestId('pve-compared').check();
  await expect(add.getByTestId('pve-pin-ca')).toBeChecked();
  await screenshot?.(`proxmox-add-${signIn}`);
  await add.getByTestId('pve-add-submit').click();
  await expect(add.getByTestId('pve-added-version')).toContainText('8.');
  await expect(add.getByTestId('pve-missing')).toHaveCount(0);
  // the confirmed certificate was issued by the cluster CA: the CA is what stays pinned
  await expect(add.getByTestId('pve-pinned')).toHaveAttribute('data-kind', 'ca');
}

test.describe('Proxmox to hardened guests', () => {
  test('add an endpoint (certificate, token), sync, add two guests as hosts, apply the Guide baseline to them', async ({ app, fleet }) => {
    const { page } = app;
    const [one, two] = fleet.hosts as FleetHost[];
    const sim = await startPveSim(
      sampleFleet({
        nodes: [{ name: 'pve1', ip: '192.168.1.10' }],
        guests: [
          { vmid: 100, node: 'pve1', type: 'qemu', name: one!.name, status: 'running', tags: ['pve-e2e'], agent: 'running', interfaces: [{ name: 'ens18', ipv4: [`${one!.address}/24`] }] },
          { vmid: 200, node: 'pve1', type: 'lxc', name: two!.name, status: 'running', tags: ['pve-e2e'], interfaces: [{ name: 'eth0', ipv4: [`${two!.address}/24`] }] },
          { vmid: 101, node: 'pve1', type: 'qemu', name: 'no-agent', status: 'running', agent: 'not-running' },
        ],
      }),
    );
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await createVault(page);

      // --- the endpoint: its certificate compared before anything else is sent, then the token
      await addEndpoint(page, sim);
      await app.screenshot('proxmox-added');
      await page.getByTestId('pve-add-dialog').getByTestId('pve-add-done').click();

      // --- sync: the guests with the fleet addresses their agents report
      await page.getByTestId('pve-sync').click();
      await expect(guestRow(page, 100).getByTestId('pve-guest-addresses')).toContainText(one!.address, { timeout: 30_000 });
      await expect(guestRow(page, 200).getByTestId('pve-guest-addresses')).toContainText(two!.address);
      await expect(guestRow(page, 100)).toHaveAttribute('data-status', 'running');
      await expect(page.getByTestId('pve-last-sync')).toBeVisible();
      await app.screenshot('proxmox-synced');

      // --- both new guests become inventory hosts (login user admin), linked and tagged
      const changes = page.getByTestId('pve-changes');
      await expect(changes.getByTestId('pve-change')).toHaveCount(2);
      await changes.getByTestId('pve-add-as-host').check();
      await changes.getByTestId('pve-host-user').fill('admin');
      await changes.getByTestId('pve-accept-all').click();
      await expect(changes.getByTestId('pve-accept-results')).toContainText('created');
      await expect(guestRow(page, 100).getByTestId('pve-guest-host')).toContainText(one!.name);
      const hosts = app.web!.services.hosts.list().filter((h) => h.guest !== null);
      expect(hosts.map((h) => [h.name, h.address, h.user, h.tags])).toEqual([
        [one!.name, one!.address, 'admin', ['pve-e2e']],
        [two!.name, two!.address, 'admin', ['pve-e2e']],
      ]);

      // --- SSH access: passwords once, host keys trusted, Bulwark's own key deployed and used
      await page.getByTestId('nav-keys').click();
      await page.getByTestId('generate-key-button').click();
      const gen = page.getByTestId('generate-key-dialog');
      await gen.getByTestId('generate-key-name').fill('pve-admin');
      await gen.getByTestId('generate-key-submit').click();
      await expect(gen).toBeHidden();
      const keyId = (await page.locator('[data-testid="key-row"][data-key-name="pve-admin"]').getAttribute('data-key-id'))!;
      for (const h of [one!, two!]) {
        await page.getByTestId('nav-inventory').click();
        await hostRow(page, h.name).getByTestId('row-edit').click();
        const dialog = page.getByTestId('host-dialog');
        await dialog.getByTestId('sudo-password-set').click();
        await dialog.getByTestId('sudo-password-input').fill(h.adminPassword);
        await dialog.getByTestId('login-password-set').click();
        await dialog.getByTestId('login-password-input').fill(h.adminPassword);
        await dialog.getByTestId('host-save').click();
        await expect(dialog).toBeHidden();
      }
      await page.getByTestId('nav-keys').click();
      await page.getByTestId('keys-tab-fleet').click();
      await page.locator('[data-testid="picker-tag"][data-tag="pve-e2e"]').click();
      await page.getByTestId('picker-toggle-shown').click();
      await expect(page.getByTestId('picked-count')).toHaveAttribute('data-count', '2');
      await page.getByTestId('check-host-keys').click();
      const trust = page.getByTestId('trust-dialog');
      for (const h of [one!, two!]) await expect(page.locator(`[data-testid="trust-row"][data-host-name="${h.name}"]`).getByTestId('trust-fingerprint')).toHaveText(h.hostKeyFingerprint);
      await trust.getByTestId('trust-all').click();
      await trust.getByTestId('trust-close').click();
      await page.getByTestId('fleet-op-deploy').check();
      await page.getByTestId('fleet-key').selectOption(keyId);
      await page.getByTestId('fleet-run').click();
      await expect(page.getByTestId('job-summary-text')).toHaveText('2 added, 0 unchanged, 0 failed', { timeout: 60_000 });
      for (const h of [one!, two!]) {
        await page.getByTestId('nav-inventory').click();
        await hostRow(page, h.name).getByTestId('row-edit').click();
        await page.getByTestId('field-loginKeyId').selectOption({ label: 'pve-admin (ED25519)' });
        await page.getByTestId('login-password-clear').click();
        await page.getByTestId('host-save').click();
        await expect(page.getByTestId('host-dialog')).toBeHidden();
      }

      // --- the Guide baseline on the two guests, confirmed after a fresh plan
      await page.getByTestId('nav-runs').click();
      await page.locator('[data-testid="picker-tag"][data-tag="pve-e2e"]').click();
      await page.getByTestId('picker-toggle-shown').click();
      await expect(page.getByTestId('picked-count')).toHaveAttribute('data-count', '2');
      await expect(page.getByTestId('run-profile')).toHaveValue('guide-baseline');
      await page.getByTestId('run-apply').click();
      const confirm = page.getByTestId('confirm-apply-dialog');
      await expect(confirm).toBeVisible({ timeout: 120_000 });
      await expect(confirm.getByTestId('confirm-apply-summary')).toHaveAttribute('data-to-change', '2');
      await confirm.getByTestId('confirm-apply').click();
      await expect(page.getByTestId('run-progress')).toHaveAttribute('data-state', 'finished', { timeout: 240_000 });
      await expect(page.getByTestId('runs-new').getByTestId('run-summary-text')).toHaveText('2 applied, 0 unchanged, 0 refused, 0 rolled back, 0 failed');
      for (const h of [one!, two!]) expect((await asRoot(fleet, h, 'sshd -T | grep -i "^passwordauthentication"')).stdout.trim()).toBe('passwordauthentication no');
      await app.screenshot('proxmox-guests-hardened');
      expect(problems).toEqual([]);
    } finally {
      for (const h of [one!, two!]) {
        await asRoot(fleet, h, 'for d in $(ls -1dt /var/backups/bulwark/*/ 2>/dev/null); do sh "$d/restore.sh"; done; rm -rf /var/backups/bulwark');
        await expect.poll(async () => (await fleet.ssh(h, 'true')).code, { timeout: 20_000 }).toBe(0);
      }
      await sim.close();
    }
  });

  test('datacenter firewall: refused while Bulwark would be cut off, then applied, checked from fresh API and SSH connections, confirmed', async ({ app, fleet }) => {
    const { page } = app;
    // the node's SSH side is a fleet host: the fresh SSH login Bulwark checks is real
    const node = (fleet.hosts as FleetHost[])[2]!;
    const sim = await startPveSim(sampleFleet({ nodes: [{ name: 'pve1', ip: node.address }], guests: [] }));
    try {
      await createVault(page);
      await addEndpoint(page, sim);
      await page.getByTestId('pve-add-dialog').getByTestId('pve-add-done').click();
      await addHost(page, { name: 'pve1', address: node.address, user: 'admin' }, { loginPassword: node.adminPassword, sudoPassword: node.adminPassword });
      await page.getByTestId('nav-keys').click();
      await page.getByTestId('keys-tab-fleet').click();
      await page.getByTestId('picker-toggle-shown').click();
      await page.getByTestId('check-host-keys').click();
      const trust = page.getByTestId('trust-dialog');
      await expect(trust.locator('[data-testid="trust-row"][data-host-name="pve1"]').getByTestId('trust-fingerprint')).toHaveText(node.hostKeyFingerprint);
      await trust.getByTestId('trust-all').click();
      await trust.getByTestId('trust-close').click();

      // --- a sync tells the node's IP: the inventory host at it becomes the SSH check's default
      await page.getByTestId('nav-proxmox').click();
      await page.getByTestId('pve-sync').click();
      await expect(page.getByTestId('pve-last-sync')).toHaveText(/^synced/);

      // --- the plan without Bulwark's own address: the guard refuses it
      await page.getByTestId('pve-fw-toggle').click();
      await page.getByTestId('pve-fw-ssh-from').fill('192.168.1.0/24');
      await page.getByTestId('pve-fw-internal').fill('10.10.0.0/16');
      await page.getByTestId('pve-fw-plan').click();
      await expect(page.getByTestId('pve-fw-refused')).toContainText('127.0.0.1 (Bulwark) could not reach port 8006');
      await expect(page.locator('[data-testid="pve-fw-guard"][data-address="127.0.0.1"][data-port="8006"]')).toHaveAttribute('data-allowed', 'false');
      await expect(page.getByTestId('pve-fw-apply')).toBeDisabled();
      await app.screenshot('proxmox-firewall-refused');

      // --- with this machine as a web UI address: a safe plan, applied and confirmed
      await page.getByTestId('pve-fw-web-ui').fill('127.0.0.1');
      await page.getByTestId('pve-fw-plan').click();
      await expect(page.getByTestId('pve-fw-refused')).toHaveCount(0);
      await expect(page.locator('[data-testid="pve-fw-guard"][data-address="127.0.0.1"][data-port="8006"]')).toHaveAttribute('data-allowed', 'true');
      await expect(page.locator('[data-testid="pve-fw-rule"][data-op="add"]')).toHaveCount(2);
      await expect(page.locator('[data-testid="pve-fw-option"][data-key="enable"]')).toBeVisible();
      await expect(page.getByTestId('pve-fw-ipset-add')).toContainText('127.0.0.1');
      expect(sim.state.firewall.rules).toEqual([]);
      await app.screenshot('proxmox-firewall-plan');
      await expect(page.getByTestId('pve-fw-ssh-host').locator('option:checked')).toHaveText(`pve1 (${node.address}), at this node's address`);
      await page.getByTestId('pve-fw-apply').click();
      await page.getByTestId('pve-fw-confirm').click();
      await expect(page.getByTestId('pve-fw-outcome')).toHaveAttribute('data-outcome', 'applied', { timeout: 60_000 });
      await expect(page.getByTestId('pve-fw-step').filter({ hasText: 'a fresh API call and a fresh SSH login succeeded' })).toBeVisible();
      await expect(page.getByTestId('pve-fw-step').filter({ hasText: 'confirmed: the firewall stays on' })).toBeVisible();
      expect(Number(sim.state.firewall.options.enable)).toBe(1);
      expect(sim.state.firewall.rules.map((r) => r.comment)).toEqual(['bulwark: SSH from 192.168.1.0/24', 'bulwark: internal network']);
      await app.screenshot('proxmox-firewall-applied');
    } finally {
      await sim.close();
    }
  });

  test('password sign-in with the cluster CA pinned: a renewal keeps working; a new CA is refused until the new certificate is compared and trusted', async ({ app }) => {
    const { page } = app;
    const sim = await startPveSim(sampleFleet());
    try {
      await createVault(page);
      await addEndpoint(page, sim, 'password', app.screenshot);
      await page.getByTestId('pve-add-dialog').getByTestId('pve-add-done').click();
      const card = page.locator('[data-testid="pve-endpoint"][data-name="homelab"]');
      await expect(card.getByTestId('pve-pin-badge')).toHaveAttribute('data-pin', 'ca');
      await expect(card.getByTestId('pve-auth-badge')).toBeVisible();
      await card.getByTestId('pve-sync').click();
      await expect(guestRow(page, 100)).toBeVisible();

      const reads = () => sim.requests.filter((r) => r.path.endsWith('/cluster/resources') && r.status === 200).length;
      const syncOnce = async () => {
        const n = reads();
        await card.getByTestId('pve-sync').click();
        await expect.poll(reads).toBeGreaterThan(n);
        await expect(card.getByTestId('pve-sync')).toHaveText('Sync');
        await expect(card.getByTestId('pve-sync-error')).toHaveCount(0);
      };

      // renewed under the same CA: nothing to do
      sim.rotateCertificate({ sameCa: true });
      await syncOnce();

      // a new CA (a re-installed cluster, or someone in between): refused, nothing sent
      sim.rotateCertificate({ sameCa: false });
      const before = sim.requests.length;
      await card.getByTestId('pve-sync').click();
      await expect(card.getByTestId('pve-sync-error')).toContainText('not issued by the pinned cluster CA');
      expect(sim.requests.length).toBe(before);
      await app.screenshot('proxmox-pin-mismatch');
      await card.getByTestId('pve-trust-open').click();
      const trust = page.getByTestId('pve-trust-dialog');
      await expect.poll(async () => (await trust.getByTestId('pve-cert-sha256').innerText()).replace(/[\s:]/g, '')).toBe(sim.fingerprint().replace(/:/g, ''));
      await expect(trust.getByTestId('pve-trust-confirm')).toBeDisabled();
      await trust.getByTestId('pve-trust-compared').check();
      await app.screenshot('proxmox-trust-dialog');
      await trust.getByTestId('pve-trust-confirm').click();
      await expect(trust.getByTestId('pve-pinned')).toHaveAttribute('data-kind', 'ca');
      await trust.getByTestId('pve-trust-done').click();
      await expect(card.getByTestId('pve-sync-error')).toHaveCount(0);
      await syncOnce();
      expect(sim.requests.filter((r) => r.path.endsWith('/cluster/resources')).map((r) => [r.auth, r.status]).at(-1)).toEqual(['ticket', 200]);
    } finally {
      await sim.close();
    }
  });
});
