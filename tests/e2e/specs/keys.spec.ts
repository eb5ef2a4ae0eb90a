/**
 * The Keys view against real SSH hosts (the test fleet: three Debian 12 hosts), through the UI
 * only: vault keys, the host-key trust dialog, deploy/audit/revoke with per-host progress, the
 * audit matrix, and what is really in authorized_keys on the hosts afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Fleet, FleetHost } from '../../fleet/fleet';
import { expect, test } from '../fleet-fixture';
import { addHost, createVault } from '../steps';

// A cut-off host fails after this instead of the app's 20 s default.
test.use({ sshTuning: { readyTimeoutMs: 5_000, keepaliveIntervalMs: 1_000 } });
test.describe.configure({ timeout: 240_000 });

const keyRow = (page: Page, name: string) => page.locator(`[data-testid="key-row"][data-key-name="${name}"]`);
const jobRow = (page: Page, host: string) => page.locator(`[data-testid="job-row"][data-host-name="${host}"]`);
const trustRow = (page: Page, host: string) => page.locator(`[data-testid="trust-row"][data-host-name="${host}"]`);
const auditKey = (page: Page, attr: string) => page.locator(`[data-testid="audit-key"]${attr}`);
const cell = (row: ReturnType<Page['locator']>, host: string) => row.locator(`[data-testid="audit-cell"][data-host="${host}"]`);

/** What `ssh-keygen -lf` prints for a public key line: "256 SHA256:... comment (ED25519)". */
function sshKeygenLine(publicKeyLine: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-pub-'));
  try {
    writeFileSync(join(dir, 'key.pub'), `${publicKeyLine.trim()}\n`);
    return execFileSync('ssh-keygen', ['-lf', join(dir, 'key.pub')], { encoding: 'utf8' }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const fingerprintOf = (publicKeyLine: string) => sshKeygenLine(publicKeyLine).split(' ')[1]!;

/** authorized_keys lines on the host that carry this key's base64 blob, counted there with grep. */
async function linesOn(fleet: Fleet, host: FleetHost, publicKeyLine: string, file: string): Promise<number> {
  const blob = publicKeyLine.trim().split(/\s+/)[1]!;
  const r = await fleet.ssh(host, `grep -c -F -- '${blob}' ${file} || true`);
  return Number(r.stdout.trim());
}

/** Records every phase each job row shows, so the spec can see progress that came and went. */
async function recordPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { __phases: Record<string, string[]> }).__phases = seen;
    const record = () => {
      document.querySelectorAll('[data-testid="job-row"]').forEach((row) => {
        const list = (seen[row.getAttribute('data-host-name')!] ??= []);
        const phase = row.getAttribute('data-phase')!;
        if (list[list.length - 1] !== phase) list.push(phase);
      });
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
  });
}
const recordedPhases = (page: Page) => page.evaluate(() => (window as unknown as { __phases: Record<string, string[]> }).__phases);

async function importTestKey(page: Page, fleet: Fleet, how: 'file' | 'paste'): Promise<void> {
  await page.getByTestId('import-key-button').click();
  const dialog = page.getByTestId('import-key-dialog');
  if (how === 'file') {
    await dialog.getByTestId('import-key-file').setInputFiles(fleet.testKey.privateKeyPath);
    // the name is proposed from the file name
    await expect(dialog.getByTestId('import-key-name')).toHaveValue('id_ed25519');
  } else {
    await dialog.getByTestId('import-key-mode-paste').check();
    await dialog.getByTestId('import-key-text').fill(readFileSync(fleet.testKey.privateKeyPath, 'utf8'));
  }
  await dialog.getByTestId('import-key-name').fill('fleet-login');
  await dialog.getByTestId('import-key-submit').click();
  await expect(dialog).toBeHidden();
  await expect(keyRow(page, 'fleet-login')).toBeVisible();
}

async function generateKey(page: Page, name: string, comment: string): Promise<string> {
  await page.getByTestId('generate-key-button').click();
  const dialog = page.getByTestId('generate-key-dialog');
  await expect(dialog.getByTestId('generate-key-type-ed25519')).toBeChecked(); // the default
  await dialog.getByTestId('generate-key-name').fill(name);
  await dialog.getByTestId('generate-key-comment').fill(comment);
  await dialog.getByTestId('generate-key-submit').click();
  await expect(dialog).toBeHidden();
  await expect(keyRow(page, name).getByTestId('key-kind')).toHaveText('ED25519');
  return (await keyRow(page, name).getAttribute('data-key-id'))!;
}

async function selectAllHosts(page: Page, count: number): Promise<void> {
  await page.getByTestId('keys-tab-fleet').click();
  await page.getByTestId('picker-toggle-shown').click();
  await expect(page.getByTestId('picked-count')).toHaveAttribute('data-count', String(count));
}

async function runJob(page: Page, op: 'deploy' | 'audit' | 'revoke', keyId?: string): Promise<void> {
  await page.getByTestId(`fleet-op-${op}`).check();
  if (keyId) await page.getByTestId('fleet-key').selectOption(keyId);
  await page.getByTestId('fleet-run').click();
}

const summary = (page: Page) => page.getByTestId('job-summary-text');
const keyRowId = async (page: Page, name: string) => {
  await page.getByTestId('keys-tab-keys').click();
  const id = (await keyRow(page, name).getAttribute('data-key-id'))!;
  await page.getByTestId('keys-tab-fleet').click();
  return id;
};

test.describe('SSH keys on real hosts', () => {
  test('trust host keys, import and generate keys, deploy twice, audit a planted key, export', async ({ app, fleet }) => {
    const { page } = app;
    const [h1, h2, h3] = fleet.hosts as [FleetHost, FleetHost, FleetHost];
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await createVault(page);

    // fleet-02 is reached as admin, whose sudo asks for a password: set through the editor
    await addHost(page, { name: h1.name, address: h1.address, user: 'root', tags: 'fleet' });
    await addHost(page, { name: h2.name, address: h2.address, user: 'admin', tags: 'fleet' }, { sudoPassword: h2.adminPassword });
    await addHost(page, { name: h3.name, address: h3.address, user: 'root', tags: 'fleet' });
    await page.locator(`[data-testid="host-row"][data-host-name="${h2.name}"]`).getByTestId('row-edit').click();
    await expect(page.getByTestId('sudo-password-status')).toHaveText('Stored');
    await expect(page.getByTestId('sudo-password-set')).toHaveText('Change…');
    // shown as set, never echoed back
    expect(await page.content()).not.toContain(h2.adminPassword);
    await app.screenshot('host-dialog-login-key');
    await page.getByTestId('host-cancel').click();

    // vault keys
    await page.getByTestId('nav-keys').click();
    await expect(page.getByTestId('keys-empty')).toBeVisible();
    await importTestKey(page, fleet, 'file');
    const testKeyLine = sshKeygenLine(fleet.testKey.publicKey);
    await expect(keyRow(page, 'fleet-login').getByTestId('key-fingerprint')).toHaveText(testKeyLine.split(' ')[1]!);
    await expect(keyRow(page, 'fleet-login').getByTestId('key-kind')).toHaveText('ED25519');

    const newKeyId = await generateKey(page, 'e2e-deploy', 'e2e@bulwark');
    // "Copy public" puts the authorized_keys line on the clipboard
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await keyRow(page, 'e2e-deploy').getByTestId('key-copy').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^ssh-ed25519 AAAA\S+ e2e@bulwark$/);
    const newKeyLine = await page.evaluate(() => navigator.clipboard.readText());
    await expect(keyRow(page, 'e2e-deploy').getByTestId('key-fingerprint')).toHaveText(fingerprintOf(newKeyLine));
    await expect(keyRow(page, 'e2e-deploy').getByTestId('key-fingerprint')).toHaveAttribute('title', sshKeygenLine(newKeyLine));
    await app.screenshot('keys');

    // host keys: shown as ssh-keygen prints them, trusted one by one or all at once, never on their own
    await selectAllHosts(page, 3);
    await page.getByTestId('check-host-keys').click();
    const trust = page.getByTestId('trust-dialog');
    for (const h of fleet.hosts) {
      await expect(trustRow(page, h.name)).toHaveAttribute('data-status', 'unknown');
      await expect(trustRow(page, h.name).getByTestId('trust-fingerprint')).toHaveText(h.hostKeyFingerprint);
      await expect(trustRow(page, h.name)).toContainText(`${h.address}:22`);
    }
    await expect(trust.getByTestId('trust-all')).toHaveText('Trust all 3 shown');
    await app.screenshot('trust-dialog');
    await trustRow(page, h1.name).getByTestId('trust-host').click();
    await expect(trustRow(page, h1.name)).toHaveAttribute('data-status', 'now-trusted');
    await expect(trust.getByTestId('trust-all')).toHaveText('Trust all 2 shown');
    await trust.getByTestId('trust-all').click();
    for (const h of fleet.hosts) await expect(trustRow(page, h.name)).toHaveAttribute('data-status', 'now-trusted');
    await trust.getByTestId('trust-close').click();
    await expect(trust).toBeHidden();

    // deploy: 3 added, with every host's progress shown on the way
    await recordPhases(page);
    await runJob(page, 'deploy', newKeyId);
    await expect(summary(page)).toHaveText('3 added, 0 unchanged, 0 failed', { timeout: 60_000 });
    for (const h of fleet.hosts) await expect(jobRow(page, h.name)).toHaveAttribute('data-status', 'added');
    await expect(jobRow(page, h2.name).getByTestId('job-row-details')).toContainText('account admin');
    const phases = await recordedPhases(page);
    for (const h of fleet.hosts) {
      const seen = phases[h.name] ?? [];
      expect(seen[0], `${h.name}: ${seen.join(' > ')}`).toBe('waiting');
      expect(seen.at(-1)).toBe('done');
      expect(seen.some((p) => p === 'connecting' || p === 'running'), `${h.name}: ${seen.join(' > ')}`).toBe(true);
    }
    await app.screenshot('keys-deploy');
    // really there, once, in the login user's authorized_keys
    expect(await linesOn(fleet, h1, newKeyLine, '/root/.ssh/authorized_keys')).toBe(1);
    expect(await linesOn(fleet, h2, newKeyLine, '/home/admin/.ssh/authorized_keys')).toBe(1);
    expect(await linesOn(fleet, h3, newKeyLine, '/root/.ssh/authorized_keys')).toBe(1);

    await page.getByTestId('fleet-run').click();
    await expect(summary(page)).toHaveText('0 added, 3 unchanged, 0 failed', { timeout: 60_000 });
    expect(await linesOn(fleet, h1, newKeyLine, '/root/.ssh/authorized_keys')).toBe(1);

    // a key nobody told Bulwark about, with a from= restriction, planted by hand on fleet-01
    const plantDir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-planted-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'planted-by-e2e', '-f', join(plantDir, 'k')]);
    const planted = readFileSync(join(plantDir, 'k.pub'), 'utf8').trim();
    rmSync(plantDir, { recursive: true, force: true });
    await fleet.ssh(h1, 'cat >> /root/.ssh/authorized_keys', { input: `from="10.0.0.0/8" ${planted}\n` });

    await runJob(page, 'audit');
    await expect(summary(page)).toHaveText('3 read, 0 failed', { timeout: 60_000 });
    const matrix = page.getByTestId('audit-matrix');
    await expect(matrix).toBeVisible();
    const deployed = auditKey(page, '[data-key-name="e2e-deploy"]');
    await expect(deployed).toHaveAttribute('data-known', 'true');
    await expect(cell(deployed, h1.name)).toHaveAttribute('data-accounts', 'root');
    await expect(cell(deployed, h2.name)).toHaveAttribute('data-accounts', 'admin');
    await expect(cell(deployed, h3.name)).toHaveAttribute('data-accounts', 'root');
    // fleet-02's root account was read too: the stored sudo password worked
    const login = auditKey(page, '[data-key-name="fleet-login"]');
    await expect(cell(login, h2.name)).toHaveAttribute('data-accounts', /^(admin,root|root,admin)$/);
    const unknown = auditKey(page, `[data-fingerprint="${fingerprintOf(planted)}"]`);
    await expect(unknown).toHaveAttribute('data-known', 'false');
    await expect(unknown).toContainText('Unknown key');
    await expect(unknown.getByTestId('audit-key-comment')).toHaveText('planted-by-e2e');
    await expect(cell(unknown, h1.name)).toHaveAttribute('data-accounts', 'root');
    await expect(cell(unknown, h1.name).getByTestId('audit-grant')).toContainText('from=');
    await expect(cell(unknown, h2.name)).toHaveAttribute('data-accounts', '');
    await expect(page.getByTestId('audit-unknown-count')).toBeVisible();
    await matrix.scrollIntoViewIfNeeded();
    await app.screenshot('keys-audit-matrix');
    await page.getByTestId('theme-toggle').click();
    await app.screenshot('keys-audit-matrix-other-theme');
    await page.getByTestId('theme-toggle').click();

    // export the private key, passphrase-protected, through the (test) save dialog
    test.skip(!app.web, 'the native save dialog cannot be driven in the Electron tier');
    await page.getByTestId('keys-tab-keys').click();
    const exported = join(app.dir, 'id_e2e-deploy');
    app.dialogs.nextSavePath = exported;
    await keyRow(page, 'e2e-deploy').getByTestId('key-export').click();
    await page.getByTestId('export-key-passphrase').fill('tundra sparrow 88 copper');
    await page.getByTestId('export-key-confirm').fill('tundra sparrow 88 copper');
    await page.getByTestId('export-key-submit').click();
    await expect(page.getByTestId('export-key-result')).toContainText(exported);
    await page.getByTestId('export-key-done').click();
    // ssh-keygen opens it with that passphrase and derives the same public key
    const derived = execFileSync('ssh-keygen', ['-y', '-P', 'tundra sparrow 88 copper', '-f', exported], { encoding: 'utf8' });
    expect(derived.split(' ').slice(0, 2)).toEqual(newKeyLine.split(' ').slice(0, 2));

    // a key that a host logs in with cannot be deleted: main's message is shown
    await page.getByTestId('nav-inventory').click();
    await page.locator(`[data-testid="host-row"][data-host-name="${h1.name}"]`).getByTestId('row-edit').click();
    await page.getByTestId('field-loginKeyId').selectOption({ label: 'fleet-login (ED25519)' });
    await page.getByTestId('host-save').click();
    await expect(page.getByTestId('host-dialog')).toBeHidden();
    await page.getByTestId('nav-keys').click();
    await keyRow(page, 'fleet-login').getByTestId('key-delete').click();
    await page.getByTestId('delete-key-confirm').click();
    await expect(page.getByTestId('delete-key-error')).toContainText(`login key of 1 host (${h1.name})`);
    await expect(page.getByTestId('delete-key-error')).toHaveAttribute('data-code', 'CONFLICT');
    await page.getByTestId('delete-key-cancel').click();
    // a refused delete is an answer, not a page error; nothing else went wrong on the way
    expect(problems).toEqual([]);
  });

  test('a host without a key: its login password deploys the first key, which then logs in alone', async ({ app, fleet }) => {
    const { page } = app;
    const h = fleet.hosts[0]!;
    await createVault(page);
    await addHost(page, { name: h.name, address: h.address, user: 'admin' }, { loginPassword: h.adminPassword });
    await page.locator(`[data-testid="host-row"][data-host-name="${h.name}"]`).getByTestId('row-edit').click();
    await expect(page.getByTestId('login-password-status')).toHaveText('Stored');
    expect(await page.content()).not.toContain(h.adminPassword);
    await page.getByTestId('host-cancel').click();

    await page.getByTestId('nav-keys').click();
    const firstId = await generateKey(page, 'first', 'first@bulwark');
    const firstLine = app.web?.services.keys.list().find((k) => k.id === firstId)?.publicKey ?? '';
    await selectAllHosts(page, 1);
    await runJob(page, 'deploy', firstId);
    const trust = page.getByTestId('trust-dialog');
    await expect(trust).toBeVisible({ timeout: 30_000 });
    await trust.getByTestId('trust-all').click();
    await trust.getByTestId('trust-close').click();
    await page.getByTestId('job-retry-failed').click();
    // no key in the vault could log in: the password did, and put the key in place
    await expect(summary(page)).toHaveText('1 added, 0 unchanged, 0 failed', { timeout: 60_000 });
    expect(await linesOn(fleet, h, firstLine, '/home/admin/.ssh/authorized_keys')).toBe(1);

    // from now on the key alone: make it the login key and forget the password
    await page.getByTestId('nav-inventory').click();
    await page.locator(`[data-testid="host-row"][data-host-name="${h.name}"]`).getByTestId('row-edit').click();
    await page.getByTestId('field-loginKeyId').selectOption({ label: 'first (ED25519)' });
    await page.getByTestId('login-password-clear').click();
    await page.getByTestId('host-save').click();
    await expect(page.getByTestId('host-dialog')).toBeHidden();
    expect(app.web?.services.hostSecrets.hostsWith('loginPassword')).toEqual([]);

    await page.getByTestId('nav-keys').click();
    await page.getByTestId('keys-tab-fleet').click();
    // the host is still picked from the deploy
    await expect(page.getByTestId('picked-count')).toHaveAttribute('data-count', '1');
    await page.getByTestId('fleet-op-audit').check();
    await page.getByTestId('fleet-run').click();
    await expect(summary(page)).toHaveText('1 read, 0 failed', { timeout: 60_000 });
    await expect(auditKey(page, '[data-key-name="first"]')).toBeVisible();
  });

  test('an unknown host key stops a job until trusted; a cut-off host fails alone; cancel; rotate; revoke', async ({ app, fleet }) => {
    const { page } = app;
    const [h1, h2, h3] = fleet.hosts as [FleetHost, FleetHost, FleetHost];
    await createVault(page);
    await page.getByTestId('nav-keys').click();
    await importTestKey(page, fleet, 'paste');
    const keyId = await generateKey(page, 'e2e-cut', 'cut@bulwark');
    const nextId = await generateKey(page, 'e2e-next', 'next@bulwark');
    // the login key is fixed per host, so revoke knows which key Bulwark depends on
    for (const h of fleet.hosts) await addHost(page, { name: h.name, address: h.address, user: 'root' }, { loginKey: 'fleet-login (ED25519)' });
    await page.getByTestId('nav-keys').click();
    const publicLine = (id: string) => app.web?.services.keys.list().find((k) => k.id === id)?.publicKey ?? '';
    const keyLine = publicLine(keyId);
    const nextLine = publicLine(nextId);

    // first contact inside a job: every host refuses before logging in, and the dialog opens
    await selectAllHosts(page, 3);
    await runJob(page, 'audit');
    await expect(summary(page)).toHaveText('0 read, 3 failed', { timeout: 30_000 });
    for (const h of fleet.hosts) await expect(jobRow(page, h.name)).toHaveAttribute('data-error-code', 'UNKNOWN_HOST_KEY');
    const trust = page.getByTestId('trust-dialog');
    await expect(trust).toBeVisible();
    for (const h of fleet.hosts) await expect(trustRow(page, h.name).getByTestId('trust-fingerprint')).toHaveText(h.hostKeyFingerprint);
    await trust.getByTestId('trust-all').click();
    for (const h of fleet.hosts) await expect(trustRow(page, h.name)).toHaveAttribute('data-status', 'now-trusted');
    await trust.getByTestId('trust-close').click();
    await page.getByTestId('job-retry-failed').click();
    await expect(summary(page)).toHaveText('3 read, 0 failed', { timeout: 60_000 });

    await fleet.cutOff(h3.name);
    try {
      // an unreachable host fails with its reason while the others succeed
      await runJob(page, 'deploy', keyId);
      await expect(summary(page)).toHaveText('2 added, 0 unchanged, 1 failed', { timeout: 60_000 });
      await expect(jobRow(page, h1.name)).toHaveAttribute('data-status', 'added');
      await expect(jobRow(page, h2.name)).toHaveAttribute('data-status', 'added');
      await expect(jobRow(page, h3.name)).toHaveAttribute('data-phase', 'failed');
      const code = await jobRow(page, h3.name).getAttribute('data-error-code');
      expect(['SSH_UNREACHABLE', 'TIMEOUT', 'SSH_CONNECTION_LOST']).toContain(code);
      await expect(jobRow(page, h3.name).getByTestId('job-row-error')).toContainText(/\S{10,}/);
      await expect(page.getByTestId('job-retry-failed')).toHaveText('Retry 1 failed');
      await app.screenshot('keys-deploy-unreachable');

      // cancel: the reachable hosts finish, the cut-off one is stopped while it waits
      await runJob(page, 'audit');
      await expect(jobRow(page, h1.name)).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
      await expect(jobRow(page, h2.name)).toHaveAttribute('data-phase', 'done');
      await expect(page.getByTestId('job')).toHaveAttribute('data-state', 'running');
      await page.getByTestId('job-cancel').click();
      await expect(summary(page)).toHaveText('2 read, 1 failed (1 cancelled)', { timeout: 30_000 });
      await expect(jobRow(page, h3.name)).toHaveAttribute('data-error-code', 'ABORTED');
    } finally {
      await fleet.restore(h3.name);
    }
    if (keyLine) {
      expect(await linesOn(fleet, h1, keyLine, '/root/.ssh/authorized_keys')).toBe(1);
      expect(await linesOn(fleet, h3, keyLine, '/root/.ssh/authorized_keys')).toBe(0);
    }

    // rotate e2e-cut -> e2e-next: the new key is added and proven before the old one goes
    await recordPhases(page);
    await page.getByTestId('fleet-op-rotate').check();
    await page.getByTestId('fleet-old-key').selectOption(keyId);
    await page.getByTestId('fleet-key').selectOption(nextId);
    await page.getByTestId('fleet-run').click();
    await expect(summary(page)).toHaveText('3 rotated, 0 failed', { timeout: 60_000 });
    await expect(jobRow(page, h1.name).getByTestId('job-row-details')).toContainText('old key: 1 line removed');
    // fleet-03 was cut off when e2e-cut went out: nothing of it to remove there
    await expect(jobRow(page, h3.name).getByTestId('job-row-details')).toContainText('old key: 0 lines removed');
    const phases = await recordedPhases(page);
    expect(phases[h1.name]?.at(-1)).toBe('done');
    // proving the new key is a fresh SSH login: long enough to be seen on screen
    expect(fleet.hosts.some((h) => phases[h.name]?.includes('verifying')), JSON.stringify(phases)).toBe(true);
    if (keyLine && nextLine) {
      for (const h of fleet.hosts) {
        expect(await linesOn(fleet, h, keyLine, '/root/.ssh/authorized_keys'), h.name).toBe(0);
        expect(await linesOn(fleet, h, nextLine, '/root/.ssh/authorized_keys'), h.name).toBe(1);
      }
    }

    // revoke asks first; force stays off unless ticked
    await runJob(page, 'revoke', nextId);
    const revoke = page.getByTestId('revoke-dialog');
    await expect(revoke).toContainText('e2e-next');
    await expect(revoke.getByTestId('revoke-force')).not.toBeChecked();
    await app.screenshot('keys-revoke-confirm');
    await revoke.getByTestId('revoke-confirm').click();
    await expect(summary(page)).toHaveText('3 removed, 0 unchanged, 0 failed', { timeout: 60_000 });
    await expect(jobRow(page, h2.name).getByTestId('job-row-details')).toContainText('1 line removed');
    if (nextLine) for (const h of fleet.hosts) expect(await linesOn(fleet, h, nextLine, '/root/.ssh/authorized_keys')).toBe(0);

    // the login key itself is refused without force, host by host, and stays on the hosts
    await runJob(page, 'revoke', (await keyRowId(page, 'fleet-login')));
    await page.getByTestId('revoke-confirm').click();
    await expect(summary(page)).toHaveText('0 removed, 0 unchanged, 3 failed', { timeout: 60_000 });
    await expect(jobRow(page, h1.name).getByTestId('job-row-error')).toBeVisible();
    for (const h of fleet.hosts) expect(await linesOn(fleet, h, fleet.testKey.publicKey, '/root/.ssh/authorized_keys')).toBe(1);
  });

  test('an encrypted key asks for its passphrase; rename and delete', async ({ app }) => {
    const { page } = app;
    await createVault(page);
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-enc-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'saffron kettle 31', '-C', 'enc@e2e', '-f', join(dir, 'id_enc')]);
    const pub = readFileSync(join(dir, 'id_enc.pub'), 'utf8');
    await page.getByTestId('nav-keys').click();
    await page.getByTestId('import-key-button').click();
    const dialog = page.getByTestId('import-key-dialog');
    await dialog.getByTestId('import-key-file').setInputFiles(join(dir, 'id_enc'));
    rmSync(dir, { recursive: true, force: true });
    await dialog.getByTestId('import-key-name').fill('encrypted');
    await dialog.getByTestId('import-key-submit').click();
    // main says the key is encrypted: the passphrase field appears with that message
    await expect(dialog.getByTestId('import-key-passphrase')).toBeFocused();
    await expect(dialog.getByTestId('field-error-key-passphrase')).toContainText(/passphrase/);
    await dialog.getByTestId('import-key-passphrase').fill('wrong guess here');
    await dialog.getByTestId('import-key-submit').click();
    await expect(dialog.getByTestId('field-error-key-passphrase')).toContainText(/Wrong passphrase/);
    await app.screenshot('import-key-passphrase');
    await dialog.getByTestId('import-key-passphrase').fill('saffron kettle 31');
    await dialog.getByTestId('import-key-submit').click();
    await expect(dialog).toBeHidden();
    await expect(keyRow(page, 'encrypted').getByTestId('key-fingerprint')).toHaveText(fingerprintOf(pub));
    await expect(keyRow(page, 'encrypted').getByTestId('key-comment')).toHaveText('enc@e2e');

    await keyRow(page, 'encrypted').getByTestId('key-rename').click();
    await page.getByTestId('rename-key-name').fill('bad name!');
    await page.getByTestId('rename-key-submit').click();
    await expect(page.getByTestId('field-error-key-name')).toBeVisible();
    await page.getByTestId('rename-key-name').fill('laptop-2025');
    await page.getByTestId('rename-key-submit').click();
    await expect(keyRow(page, 'laptop-2025')).toBeVisible();

    await keyRow(page, 'laptop-2025').getByTestId('key-delete').click();
    await expect(page.getByTestId('delete-key-dialog')).toContainText(fingerprintOf(pub));
    await page.getByTestId('delete-key-confirm').click();
    await expect(page.getByTestId('keys-empty')).toBeVisible();
  });

  test('a changed host key is a red warning and is replaced only after typing the host name', async ({ app, fleet }) => {
    const { page } = app;
    const h = fleet.hosts[1]!;
    await createVault(page);
    await addHost(page, { name: h.name, address: h.address, user: 'root' });
    await page.getByTestId('nav-keys').click();
    await selectAllHosts(page, 1);
    await page.getByTestId('check-host-keys').click();
    await trustRow(page, h.name).getByTestId('trust-host').click();
    await expect(trustRow(page, h.name)).toHaveAttribute('data-status', 'now-trusted');
    await page.getByTestId('trust-close').click();
    const pinned = h.hostKeyFingerprint;

    const restarted = await fleet.restartHost(h.name, { regenerateHostKeys: true });
    expect(restarted.hostKeyFingerprint).not.toBe(pinned);
    await page.getByTestId('check-host-keys').click();
    const row = trustRow(page, h.name);
    await expect(row).toHaveAttribute('data-status', 'changed');
    await expect(row.getByTestId('trust-changed-warning')).toBeVisible();
    await expect(row.getByTestId('trust-pinned')).toContainText(pinned);
    await expect(row.getByTestId('trust-fingerprint')).toHaveText(restarted.hostKeyFingerprint);
    await expect(page.getByTestId('trust-all')).toBeDisabled();
    await expect(row.getByTestId('trust-host')).toHaveCount(0);
    await app.screenshot('trust-dialog-changed');

    await row.getByTestId('trust-replace-start').click();
    await expect(row.getByTestId('trust-replace')).toBeDisabled();
    await row.getByTestId('trust-replace-confirm').fill(h.name.toUpperCase());
    await expect(row.getByTestId('trust-replace')).toBeDisabled();
    await row.getByTestId('trust-replace-confirm').fill(h.name);
    await row.getByTestId('trust-replace').click();
    await expect(row).toHaveAttribute('data-status', 'now-trusted');
    await expect(row.getByTestId('trust-done')).toContainText(restarted.hostKeyFingerprint);
    await page.getByTestId('trust-recheck').click();
    await expect(trustRow(page, h.name)).toHaveAttribute('data-status', 'trusted');
  });
});
