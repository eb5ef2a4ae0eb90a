/**
 * The live Logs view against real hosts under attack (the test fleet: fleet-01 and fleet-03 log
 * to auth.log through rsyslog and run fail2ban's stock sshd jail, fleet-02 is journald only),
 * through the UI only: three hosts added and followed, real failed logins from the attacker
 * namespace fill the stream, filters narrow it, fail2ban bans the attacker, and the ban is
 * lifted from the ban list, checked with fail2ban-client on the host. A ban made from the view
 * is checked the same way. Every ban is lifted at the end so other specs find the hosts as before.
 */
import type { Page } from '@playwright/test';
import type { Fleet, FleetHost } from '../../fleet/fleet';
import { expect, test } from '../fleet-fixture';
import { addHost, createVault } from '../steps';

test.describe.configure({ timeout: 300_000 });

/** A documentation address (RFC 5737): banned by hand, it can never lock anyone out. */
const HAND_BANNED = '192.0.2.77';

const status = (page: Page, host: string) => page.locator(`[data-testid="log-status"][data-host="${host}"]`);
const rows = (page: Page, sel = '') => page.locator(`[data-testid="log-row"]${sel}`);
const banRow = (page: Page, host: string, ip: string) => page.locator(`[data-testid="ban-row"][data-host="${host}"][data-jail="sshd"][data-ip="${ip}"]`);
const jailStatus = async (fleet: Fleet, h: FleetHost) => (await fleet.ssh(h, 'fail2ban-client status sshd')).stdout;

async function unbanEverywhere(fleet: Fleet, ips: string[]): Promise<void> {
  for (const h of fleet.hosts.filter((x) => x.variant === 'rsyslog')) {
    for (const ip of ips) await fleet.ssh(h, `fail2ban-client set sshd unbanip ${ip} || true`);
  }
}

test.describe('live security logs from real hosts', () => {
  test('follow 3 hosts under attack, filter the stream, unban the attacker and ban by hand through the UI', async ({ app, fleet }) => {
    const { page } = app;
    const hosts = fleet.hosts as FleetHost[];
    const attacker = fleet.attacker.address;
    const [rsyslogHost, otherRsyslog] = hosts.filter((h) => h.variant === 'rsyslog');
    const journaldHost = hosts.find((h) => h.variant === 'journald');
    expect(rsyslogHost && otherRsyslog && journaldHost).toBeTruthy();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });

    await createVault(page);
    for (const h of hosts) {
      await addHost(page, { name: h.name, address: h.address, user: 'admin', tags: 'logs' }, { loginPassword: h.adminPassword, sudoPassword: h.adminPassword });
    }
    // host keys are trusted by the user, never on first use
    await page.getByTestId('nav-keys').click();
    await page.getByTestId('keys-tab-fleet').click();
    await page.getByTestId('picker-toggle-shown').click();
    await page.getByTestId('check-host-keys').click();
    const trust = page.getByTestId('trust-dialog');
    for (const h of hosts) await expect(page.locator(`[data-testid="trust-row"][data-host-name="${h.name}"]`).getByTestId('trust-fingerprint')).toHaveText(h.hostKeyFingerprint);
    await trust.getByTestId('trust-all').click();
    await trust.getByTestId('trust-close').click();

    try {
      // --- follow the three hosts, picked by tag
      await page.getByTestId('nav-logs').click();
      await expect(page.getByTestId('logs-view')).toBeVisible();
      await page.locator('[data-testid="picker-tag"][data-tag="logs"]').click();
      await page.getByTestId('picker-toggle-shown').click();
      await expect(page.getByTestId('picked-count')).toHaveAttribute('data-count', '3');
      await page.getByTestId('logs-follow').click();
      for (const h of hosts) await expect(status(page, h.name)).toHaveAttribute('data-state', 'streaming', { timeout: 60_000 });
      await expect(status(page, journaldHost!.name)).toContainText('journald');
      await expect(status(page, rsyslogHost!.name)).toContainText('auth.log');

      // --- real failed logins from the attacker appear on every host
      for (const h of hosts) await fleet.attacker.tryPassword(h, 'root', 'e2e-wrong');
      for (const h of hosts) {
        await expect(rows(page, `[data-kind="auth.failed_password"][data-host="${h.name}"][data-ip="${attacker}"]`).first()).toBeVisible({ timeout: 10_000 });
      }
      await expect(page.locator(`[data-testid="top-ip-row"][data-ip="${attacker}"]`)).toContainText(hosts.map((h) => h.name).join(', '));
      await app.screenshot('logs-stream');

      // --- filters: by kind, by host, the quick views, then everything again
      await page.getByTestId('logs-filter-kind').selectOption('auth.failed_password');
      await expect(rows(page).first()).toBeVisible();
      await expect(rows(page, ':not([data-kind="auth.failed_password"])')).toHaveCount(0);
      await page.getByTestId('logs-filter-host').selectOption(journaldHost!.name);
      await expect(rows(page, `[data-host="${journaldHost!.name}"]`).first()).toBeVisible();
      await expect(rows(page, `:not([data-host="${journaldHost!.name}"])`)).toHaveCount(0);
      await page.getByTestId('logs-filter-clear').click();
      await page.getByTestId('logs-quick-accepted').click();
      await expect(page.getByTestId('logs-quick-accepted')).toHaveAttribute('aria-pressed', 'true');
      await expect(rows(page, '[data-kind^="auth.failed"]')).toHaveCount(0);
      await page.getByTestId('logs-quick-failed').click();
      await page.getByTestId('logs-filter-ip').fill(attacker);
      await expect(rows(page).first()).toBeVisible();
      await expect(rows(page, `:not([data-ip="${attacker}"])`)).toHaveCount(0);
      await page.getByTestId('logs-filter-clear').click();

      // --- pause: what arrives is counted, not shown, until resume
      await page.getByTestId('logs-pause').click();
      const before = Number(await page.getByTestId('logs-count').getAttribute('data-total'));
      await fleet.attacker.tryPassword(otherRsyslog!, 'e2e-paused', 'e2e-wrong');
      await expect(page.getByTestId('logs-held-count')).not.toHaveAttribute('data-count', '0', { timeout: 10_000 });
      await expect(rows(page, '[data-kind="auth.invalid_user"]')).toHaveCount(0);
      expect(Number(await page.getByTestId('logs-count').getAttribute('data-total'))).toBe(before);
      await page.getByTestId('logs-resume').click();
      await expect(rows(page, `[data-kind="auth.invalid_user"][data-host="${otherRsyslog!.name}"]`).first()).toBeVisible();

      // --- fail2ban bans the attacker on an rsyslog host (stock jail: maxretry 5)
      for (let n = 0; n < 5; n++) await fleet.attacker.tryPassword(rsyslogHost!, 'root', `e2e-wrong-${n}`);
      await expect(banRow(page, rsyslogHost!.name, attacker)).toBeVisible({ timeout: 30_000 });
      await expect(rows(page, `[data-kind="f2b.ban"][data-host="${rsyslogHost!.name}"]`).first()).toBeVisible();
      expect(await jailStatus(fleet, rsyslogHost!)).toContain(attacker);
      await app.screenshot('logs-banned');

      // --- unban from the ban list: confirmed, answered, and true on the host
      await banRow(page, rsyslogHost!.name, attacker).getByTestId('ban-row-unban').click();
      const dialog = page.getByTestId('ban-dialog');
      await expect(dialog.getByTestId('ban-ip')).toHaveValue(attacker);
      await expect(dialog.getByTestId('ban-target')).toHaveText(rsyslogHost!.name);
      await dialog.getByTestId('ban-confirm').click();
      const unbanned = dialog.locator(`[data-testid="ban-result"][data-host="${rsyslogHost!.name}"]`);
      await expect(unbanned).toBeVisible({ timeout: 45_000 });
      await expect(unbanned, (await unbanned.textContent()) ?? '').toHaveAttribute('data-ok', 'true');
      await dialog.getByTestId('ban-close').click();
      await expect(dialog).toBeHidden();
      expect(await jailStatus(fleet, rsyslogHost!)).not.toContain(attacker);
      // the unban comes back through fail2ban's own log and empties the list
      await expect(banRow(page, rsyslogHost!.name, attacker)).toHaveCount(0, { timeout: 15_000 });

      // --- ban by hand on one host, then lift it again from the list
      await page.getByTestId('logs-ban-now').click();
      await dialog.getByTestId('ban-ip').fill(HAND_BANNED);
      await dialog.getByTestId('ban-target').selectOption({ label: otherRsyslog!.name });
      await expect(dialog.getByTestId('ban-confirm')).toHaveText(`Ban ${HAND_BANNED} on ${otherRsyslog!.name}`);
      await dialog.getByTestId('ban-confirm').click();
      await expect(dialog.locator(`[data-testid="ban-result"][data-host="${otherRsyslog!.name}"]`)).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
      await dialog.getByTestId('ban-close').click();
      expect(await jailStatus(fleet, otherRsyslog!)).toContain(HAND_BANNED);
      await expect(banRow(page, otherRsyslog!.name, HAND_BANNED)).toBeVisible({ timeout: 15_000 });
      await banRow(page, otherRsyslog!.name, HAND_BANNED).getByTestId('ban-row-unban').click();
      await dialog.getByTestId('ban-confirm').click();
      await expect(dialog.locator('[data-testid="ban-result"]')).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
      await dialog.getByTestId('ban-close').click();
      expect(await jailStatus(fleet, otherRsyslog!)).not.toContain(HAND_BANNED);

      // --- copy a raw line, and jump from a row to its host in the inventory (paused: rows hold still)
      await page.getByTestId('logs-pause').click();
      await rows(page).first().getByTestId('log-copy').click();
      await expect(page.locator('[data-testid="toast"][data-kind="success"]').filter({ hasText: 'Line copied' })).toBeVisible();
      const jumpTo = (await rows(page).first().getAttribute('data-host'))!;
      await rows(page).first().getByTestId('log-host-link').click();
      await expect(page.getByTestId('host-search')).toHaveValue(jumpTo);
      await expect(page.locator('[data-testid="host-row"]')).toHaveCount(1);
      await expect(page.locator(`[data-testid="host-row"][data-host-name="${jumpTo}"]`)).toBeVisible();

      // --- stop following: every stream says so
      await page.getByTestId('nav-logs').click();
      await page.getByTestId('logs-resume').click();
      await page.getByTestId('logs-stop').click();
      for (const h of hosts) await expect(status(page, h.name)).toHaveAttribute('data-state', 'stopped');
      expect(problems).toEqual([]);
    } finally {
      await unbanEverywhere(fleet, [attacker, HAND_BANNED]);
    }
  });
});
