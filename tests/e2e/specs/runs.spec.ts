/**
 * The Runs view against real SSH hosts (the test fleet: three Debian 12 hosts), through the UI
 * only: the hosts get a key Bulwark deploys itself by password, then the Guide baseline is
 * audited, planned and applied (confirmed after a fresh plan) with live progress, the compliance
 * matrix shows every host compliant, a second apply changes nothing, and the history lists every
 * run with its drift and reports. The hosts are put back as they were at the end.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { Fleet, FleetHost } from '../../fleet/fleet';
import { expect, test } from '../fleet-fixture';
import { addHost, createVault } from '../steps';

test.use({ sshTuning: { readyTimeoutMs: 5_000, keepaliveIntervalMs: 1_000 } });
test.describe.configure({ timeout: 420_000 });

const DROP_IN = '/etc/ssh/sshd_config.d/00-bulwark.conf';
const hostRow = (page: Page, name: string) => page.locator(`[data-testid="host-row"][data-host-name="${name}"]`);
const runRow = (page: Page, host: string) => page.locator(`[data-testid="run-row"][data-host-name="${host}"]`);
const matrixRow = (page: Page, host: string) => page.locator(`[data-testid="matrix-row"][data-host="${host}"]`);
const summary = (page: Page) => page.getByTestId('runs-new').getByTestId('run-summary-text');

/** A root shell command through admin and sudo: after the baseline, root may no longer log in. */
const asRoot = (fleet: Fleet, h: FleetHost, command: string) =>
  fleet.ssh(h, `sudo -S -p '' sh -c '${command.replace(/'/g, "'\\''")}'`, { user: 'admin', input: `${h.adminPassword}\n` });

/** Records every phase each live row shows, so the spec can see progress that came and went. */
async function recordPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { __runPhases: Record<string, string[]> }).__runPhases = seen;
    const record = () => {
      document.querySelectorAll('[data-testid="run-row"]').forEach((row) => {
        const list = (seen[row.getAttribute('data-host-name')!] ??= []);
        const phase = row.getAttribute('data-phase')!;
        if (list[list.length - 1] !== phase) list.push(phase);
      });
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
  });
}
const recordedPhases = (page: Page) => page.evaluate(() => (window as unknown as { __runPhases: Record<string, string[]> }).__runPhases);

async function finished(page: Page, mode: 'audit' | 'plan' | 'apply', timeout = 120_000): Promise<void> {
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-mode', mode);
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-state', 'finished', { timeout });
  await expect(page.getByTestId('run-result')).toHaveAttribute('data-mode', mode);
}

/** Puts each host back as it was before the apply, with Bulwark's own restore scripts (newest first). */
async function restoreHosts(fleet: Fleet): Promise<void> {
  for (const h of fleet.hosts) {
    await asRoot(fleet, h, 'for d in $(ls -1dt /var/backups/bulwark/*/ 2>/dev/null); do sh "$d/restore.sh"; done; rm -rf /var/backups/bulwark');
    // root logs in by key again, as the other specs expect
    await expect.poll(async () => (await fleet.ssh(h, 'true')).code, { timeout: 20_000 }).toBe(0);
  }
}

test.describe('hardening runs on real hosts', () => {
  test('audit, plan and apply the Guide baseline to 3 hosts; compliant after, unchanged the second time; history', async ({ app, fleet }) => {
    const { page } = app;
    const hosts = fleet.hosts as FleetHost[];
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await createVault(page);

    // A host reached by password first: Bulwark deploys its own key, which then logs in alone.
    await page.getByTestId('nav-keys').click();
    await page.getByTestId('generate-key-button').click();
    const gen = page.getByTestId('generate-key-dialog');
    await gen.getByTestId('generate-key-name').fill('runs-admin');
    await gen.getByTestId('generate-key-submit').click();
    await expect(gen).toBeHidden();
    const keyId = (await page.locator('[data-testid="key-row"][data-key-name="runs-admin"]').getAttribute('data-key-id'))!;
    for (const h of hosts) {
      await addHost(page, { name: h.name, address: h.address, user: 'admin', tags: 'web' }, { loginPassword: h.adminPassword, sudoPassword: h.adminPassword });
    }
    await page.getByTestId('nav-keys').click();
    await page.getByTestId('keys-tab-fleet').click();
    await page.getByTestId('picker-toggle-shown').click();
    await expect(page.getByTestId('picked-count')).toHaveAttribute('data-count', '3');
    await page.getByTestId('check-host-keys').click();
    const trust = page.getByTestId('trust-dialog');
    for (const h of hosts) await expect(page.locator(`[data-testid="trust-row"][data-host-name="${h.name}"]`).getByTestId('trust-fingerprint')).toHaveText(h.hostKeyFingerprint);
    await trust.getByTestId('trust-all').click();
    await trust.getByTestId('trust-close').click();
    await page.getByTestId('fleet-op-deploy').check();
    await page.getByTestId('fleet-key').selectOption(keyId);
    await page.getByTestId('fleet-run').click();
    await expect(page.getByTestId('job-summary-text')).toHaveText('3 added, 0 unchanged, 0 failed', { timeout: 60_000 });
    for (const h of hosts) {
      await page.getByTestId('nav-inventory').click();
      await hostRow(page, h.name).getByTestId('row-edit').click();
      await page.getByTestId('field-loginKeyId').selectOption({ label: 'runs-admin (ED25519)' });
      await page.getByTestId('login-password-clear').click();
      await page.getByTestId('host-save').click();
      await expect(page.getByTestId('host-dialog')).toBeHidden();
    }
    expect(app.web?.services.hostSecrets.hostsWith('loginPassword')).toEqual([]);
    // No reconnect by hand: clearing the login password retires the sessions opened with it, so
    // the audit below proves the key alone gets in.

    try {
      // --- the Runs view: hosts by tag, the profile with its controls
      await page.getByTestId('nav-runs').click();
      await expect(page.getByTestId('runs-view')).toBeVisible();
      await page.locator('[data-testid="picker-tag"][data-tag="web"]').click();
      await page.getByTestId('picker-toggle-shown').click();
      await expect(page.getByTestId('picked-count')).toHaveAttribute('data-count', '3');
      await expect(page.getByTestId('run-profile')).toHaveValue('guide-baseline');
      await expect(page.getByTestId('run-profile-description')).toContainText('UFW');
      for (const id of ['ssh-key-access', 'sshd-auth', 'ufw', 'fail2ban', 'containers']) {
        await expect(page.locator(`[data-testid="run-profile-control"][data-control="${id}"]`)).toBeVisible();
      }
      // bad options are refused in the form, naming the field
      await page.getByTestId('run-canary').fill('0');
      await page.getByTestId('run-plan').click();
      await expect(page.getByTestId('field-error-run-canary')).toHaveText('Canary must be between 1 and 10000');
      await page.getByTestId('run-canary').fill('');

      // --- audit: every host drifts from the baseline
      await page.getByTestId('run-audit').click();
      await finished(page, 'audit');
      await expect(summary(page)).toHaveText('0 compliant, 3 drift, 0 unknown, 0 failed');
      for (const h of hosts) {
        await expect(matrixRow(page, h.name)).toBeVisible();
        expect(Number(await matrixRow(page, h.name).getAttribute('data-score-percent'))).toBeLessThan(100);
        await expect(matrixRow(page, h.name).locator('[data-testid="matrix-cell"][data-control="sshd-auth"]')).toHaveAttribute('data-status', 'drift');
        await expect(matrixRow(page, h.name).locator('[data-testid="matrix-cell"][data-control="ssh-key-access"]')).toHaveAttribute('data-status', 'compliant');
        await expect(matrixRow(page, h.name).locator('[data-testid="matrix-cell"][data-control="sshd-auth"]')).toContainText('drift');
      }
      await app.screenshot('runs-audit-matrix');

      // --- plan: the sshd drop-in on all 3 hosts, and nothing touched
      await page.getByTestId('run-plan').click();
      await finished(page, 'plan');
      await expect(summary(page)).toHaveText('3 to change, 0 unchanged, 0 refused, 0 failed');
      const review = page.getByTestId('plan-review');
      await expect(review.getByTestId('plan-touches-nothing')).toBeVisible();
      const groups = review.getByTestId('plan-group');
      const counts = await groups.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-hosts-count'))));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
      const groupHosts = (await review.getByTestId('plan-group-hosts').allInnerTexts()).join(' ');
      for (const h of hosts) expect(groupHosts).toContain(h.name);
      for (let i = 0; i < counts.length; i++) {
        const group = groups.nth(i);
        await expect(group).toHaveAttribute('data-cuts-access', 'true');
        const dropIn = group.locator(`[data-testid="plan-file"][data-path="${DROP_IN}"]`);
        await expect(dropIn).toHaveAttribute('data-action', 'created');
        await expect(dropIn.locator('[data-testid="diff-line"][data-kind="add"]', { hasText: 'PasswordAuthentication no' })).toBeVisible();
        await expect(dropIn.locator('[data-testid="diff-line"][data-kind="add"]', { hasText: 'PermitRootLogin no' })).toBeVisible();
      }
      await expect(review.getByTestId('plan-command').first()).toBeVisible();
      for (const h of hosts) expect((await fleet.ssh(h, `test -e ${DROP_IN}; echo $?`)).stdout.trim(), h.name).toBe('1');
      await review.scrollIntoViewIfNeeded();
      await app.screenshot('runs-plan-review');

      // --- apply: a fresh plan, the confirm dialog, then live progress to done on every host
      await page.getByTestId('run-apply').click();
      const confirm = page.getByTestId('confirm-apply-dialog');
      await expect(confirm).toBeVisible({ timeout: 120_000 });
      await expect(confirm.getByTestId('confirm-apply-summary')).toHaveAttribute('data-to-change', '3');
      await expect(confirm.getByTestId('confirm-apply-summary')).toHaveAttribute('data-cuts-access', '3');
      await expect(confirm).toContainText('dead-man switch');
      await expect(confirm).toContainText('fresh SSH connection');
      await app.screenshot('runs-confirm-apply');
      await recordPhases(page);
      await confirm.getByTestId('confirm-apply').click();
      await expect(confirm).toBeHidden();
      await expect(page.getByTestId('run-progress')).toHaveAttribute('data-mode', 'apply');
      await finished(page, 'apply', 240_000);
      await expect(summary(page)).toHaveText('3 applied, 0 unchanged, 0 refused, 0 rolled back, 0 failed');
      await expect(page.getByTestId('run-progress-bar')).toHaveAttribute('data-value', '3');
      const phases = await recordedPhases(page);
      for (const h of hosts) {
        await expect(runRow(page, h.name)).toHaveAttribute('data-phase', 'done');
        await expect(runRow(page, h.name)).toHaveAttribute('data-status', 'applied');
        const seen = phases[h.name] ?? [];
        expect(seen.at(-1), `${h.name}: ${seen.join(' > ')}`).toBe('done');
        expect(seen.some((p) => p === 'facts' || p === 'applying' || p === 'verifying'), `${h.name}: ${seen.join(' > ')}`).toBe(true);
      }

      // the compliance matrix, from the fresh connection after the apply: 100% everywhere
      for (const h of hosts) {
        await expect(matrixRow(page, h.name)).toHaveAttribute('data-score-percent', '100');
        await expect(matrixRow(page, h.name)).toHaveAttribute('data-source', 'after');
        await expect(matrixRow(page, h.name).getByTestId('matrix-score')).toContainText('(100%)');
      }
      await page.getByTestId('compliance-matrix').scrollIntoViewIfNeeded();
      await app.screenshot('runs-apply-compliance');
      // a host's detail: before and after, with evidence
      const first = page.locator(`[data-testid="host-result"][data-host-name="${hosts[0]!.name}"]`);
      await expect(first).toHaveAttribute('data-status', 'applied');
      await expect(first.getByTestId('host-result-score')).toContainText(/^\d+\/\d+ \(\d+%\) → \d+\/\d+ \(100%\)$/);
      await first.getByTestId('host-result-toggle').click();
      const detail = page.getByTestId('host-detail');
      await expect(detail).toContainText('After (fresh connection)');
      await expect(detail.locator('[data-testid="host-control"][data-control="sshd-auth"][data-status="compliant"]')).toBeVisible();
      await expect(detail.locator('[data-testid="host-control"][data-control="sshd-auth"][data-status="drift"]')).toBeVisible();
      // really so on the host
      const effective = await asRoot(fleet, hosts[0]!, 'sshd -T | grep -E "^(passwordauthentication|permitrootlogin) "');
      expect(effective.stdout.split('\n').sort().join('\n').trim()).toBe('passwordauthentication no\npermitrootlogin no');

      // --- a second apply: the fresh plan has nothing to change, and the apply changes nothing
      await page.getByTestId('run-apply').click();
      await expect(confirm).toBeVisible({ timeout: 120_000 });
      await expect(confirm.getByTestId('confirm-apply-summary')).toHaveAttribute('data-to-change', '0');
      await expect(page.getByTestId('plan-unchanged')).toHaveAttribute('data-count', '3');
      await confirm.getByTestId('confirm-apply').click();
      await finished(page, 'apply');
      await expect(summary(page)).toHaveText('0 applied, 3 unchanged, 0 refused, 0 rolled back, 0 failed');
      for (const h of hosts) await expect(runRow(page, h.name)).toHaveAttribute('data-status', 'unchanged');

      // --- history: every run, newest first (each apply was preceded by its plan)
      await page.getByTestId('runs-tab-history').click();
      const rows = page.getByTestId('history-row');
      await expect(rows).toHaveCount(6);
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-mode')))).toEqual(['apply', 'plan', 'apply', 'plan', 'plan', 'audit']);
      await expect(rows.nth(0).getByTestId('history-summary')).toHaveText('0 applied, 3 unchanged, 0 refused, 0 rolled back, 0 failed');
      await rows.nth(2).getByTestId('history-open').click();
      const opened = page.getByTestId('opened-run');
      await expect(opened.getByTestId('run-result')).toHaveAttribute('data-mode', 'apply');
      for (const h of hosts) await expect(opened.locator(`[data-testid="matrix-row"][data-host="${h.name}"]`)).toHaveAttribute('data-score-percent', '100');
      // drift: from the audit's score up to 100 and staying there
      for (const h of hosts) {
        const points = (await opened.locator(`[data-testid="drift-row"][data-host="${h.name}"]`).getAttribute('data-points'))!.split(',').map(Number);
        expect(points).toHaveLength(3);
        expect(points[0]).toBeLessThan(100);
        expect(points.slice(1)).toEqual([100, 100]);
      }
      await expect(opened.getByTestId('drift-change').first()).toContainText('▲');
      await app.screenshot('runs-history-drift');

      // reports of the opened run: JSON that parses back to the run, HTML that names the hosts
      const runId = (await opened.getByTestId('run-result').getAttribute('data-run-id'))!;
      const json = page.waitForEvent('download');
      await opened.getByTestId('run-export-json').click();
      const jsonText = readFileSync((await (await json).path())!, 'utf8');
      expect(JSON.stringify(JSON.parse(jsonText))).toContain(runId);
      const html = page.waitForEvent('download');
      await opened.getByTestId('run-export-html').click();
      const htmlDownload = await html;
      expect(htmlDownload.suggestedFilename()).toMatch(/\.html$/);
      const htmlText = readFileSync((await htmlDownload.path())!, 'utf8');
      for (const h of hosts) expect(htmlText).toContain(h.name);

      expect(problems).toEqual([]);
    } finally {
      await restoreHosts(fleet);
    }
  });
});
