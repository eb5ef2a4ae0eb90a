/**
 * `bulwark pve add|sync|list` against the project's Proxmox API simulator (tests/pve-sim, a
 * simulator of the public PVE API, not Proxmox VE itself).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, LIMITED_TOKEN, ROOT_USER, sampleFleet } from '../../pve-sim/sample-fleet';
import { Cli } from './harness';

let sim: PveSim;
let cli: Cli;
const token = (t = ADMIN_TOKEN) => `${t.id}=${t.secret}`;

beforeAll(async () => {
  sim = await startPveSim(sampleFleet());
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
});
afterEach(() => cli.cleanup());

describe('bulwark pve', () => {
  it('add shows the certificate and asks; without a terminal it stops and names --fingerprint', async () => {
    const unattended = await cli.run(['pve', 'add', '--name', 'homelab', '--url', sim.url, '--token', token()]);
    expect(unattended.code).toBe(ExitCode.HOST_KEY);
    expect(unattended.stderr).toContain(`SHA-256  ${sim.fingerprint()}`);
    expect(unattended.stderr).toContain(`--fingerprint ${sim.fingerprint()}`);
    expect(JSON.parse(await cli.ok(['--json', 'pve', 'list']))).toEqual([]);

    const declined = await cli.run(['pve', 'add', '--name', 'homelab', '--url', sim.url, '--token', token()], { prompts: ['n'] });
    expect(declined.code).toBe(ExitCode.HOST_KEY);
    const added = await cli.run(['pve', 'add', '--name', 'homelab', '--url', sim.url, '--token', token()], { prompts: ['y'] });
    expect(added.code, added.stderr).toBe(0);
    expect(cli.shownPrompts).toEqual(['Trust this certificate for this endpoint? [y/N] ']);
    expect(added.stdout).toMatch(new RegExp(`^Added homelab \\(127\\.0\\.0\\.1:\\d+, Proxmox VE 8\\.[\\d.]+\\), the cluster CA \\(CN=Proxmox Virtual Environment.*SHA-256 ${sim.caFingerprint()}\\) pinned: renewed node certificates keep working\\n$`));
    // the secret is never printed back
    expect(added.stdout + added.stderr).not.toContain(ADMIN_TOKEN.secret);
  });

  it('add with a fingerprint: a wrong one is refused and nothing is stored; a weak token is added with warnings', async () => {
    const wrong = await cli.run(['pve', 'add', '--name', 'homelab', '--url', sim.url, '--token', token(), '--fingerprint', sim.caFingerprint()]);
    expect(wrong.code).toBe(ExitCode.HOST_KEY);
    expect(wrong.stderr).toMatch(/Refused to talk to homelab: .*Nothing was sent/);
    expect(JSON.parse(await cli.ok(['--json', 'pve', 'list']))).toEqual([]);

    const limited = JSON.parse(await cli.ok(['--json', 'pve', 'add', '--name', 'ro', '--url', sim.url, '--token', token(LIMITED_TOKEN), '--fingerprint', sim.fingerprint().toLowerCase()])) as { missing: { privilege: string; path: string }[] };
    expect(limited.missing.map((m) => `${m.privilege} on ${m.path}`)).toEqual(['Sys.Audit on /', 'VM.Audit on /vms', 'VM.GuestAgent.Audit or VM.Monitor on /vms', 'Sys.Modify on /']);
  });

  it('a refused token, a bad URL and a token without its secret are clear errors', async () => {
    const bad = await cli.run(['pve', 'add', '--name', 'homelab', '--url', sim.url, '--token', `${ADMIN_TOKEN.id}=not-the-secret-1`, '--fingerprint', sim.fingerprint()]);
    expect(bad.code).toBe(ExitCode.REMOTE_AUTH);
    expect(bad.stderr).toMatch(/refused the credentials/);
    const http = await cli.run(['pve', 'add', '--name', 'x', '--url', 'http://pve1:8006', '--token', token()]);
    expect(http.code).toBe(ExitCode.USAGE);
    expect(http.stderr).toMatch(/must start with https:\/\//);
    const noSecret = await cli.run(['pve', 'add', '--name', 'x', '--url', sim.url, '--token', ADMIN_TOKEN.id]);
    expect(noSecret.code).toBe(ExitCode.USAGE);
    expect(noSecret.stderr).toMatch(/BULWARK_PVE_TOKEN_SECRET/);
    const fromEnv = await cli.run(['pve', 'add', '--name', 'env', '--url', sim.url, '--token', ADMIN_TOKEN.id, '--fingerprint', sim.fingerprint()], { env: { BULWARK_PVE_TOKEN_SECRET: ADMIN_TOKEN.secret } });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
  });

  it('firewall: the plan as tables, refused while Bulwark would be cut off; --apply needs the node SSH host', async () => {
    await cli.ok(['pve', 'add', '--name', 'homelab', '--url', sim.url, '--token', token(), '--fingerprint', sim.fingerprint()]);
    const refused = await cli.run(['pve', 'firewall', 'homelab', '--ssh-from', '192.168.1.0/24', '--internal', '10.10.0.0/16']);
    expect(refused.code).toBe(ExitCode.VALIDATION);
    expect(refused.stdout).toMatch(/127\.0\.0\.1\s+Bulwark\s+8006\s+NO\s+policy_in DROP/);
    expect(refused.stderr).toMatch(/Refused: after this change 127\.0\.0\.1 \(Bulwark\) could not reach port 8006/);
    const plan = await cli.run(['pve', 'firewall', 'homelab', '--ssh-from', '192.168.1.0/24', '--internal', '10.10.0.0/16', '--web-ui', '127.0.0.1']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('  option  enable: 0 -> 1');
    expect(plan.stdout).toMatch(/\+\s+IN\s+ACCEPT\s+tcp\s+22\s+192\.168\.1\.0\/24\s+bulwark: SSH from 192\.168\.1\.0\/24/);
    expect(plan.stdout).toContain('  + management IPSet: 127.0.0.1');
    expect(plan.stdout).toMatch(/127\.0\.0\.1\s+Bulwark\s+8006\s+yes\s+the management IPSet/);
    // planning wrote nothing
    expect(sim.state.firewall.rules).toEqual([]);
    const noHost = await cli.run(['pve', 'firewall', 'homelab', '--ssh-from', '192.168.1.0/24', '--web-ui', '127.0.0.1', '--apply', '--yes']);
    expect(noHost.code).toBe(ExitCode.USAGE);
    expect(noHost.stderr).toMatch(/--apply needs --ssh-host HOST: no inventory host is at homelab's address or a synced node IP/);
    await cli.ok(['pve', 'sync', 'homelab']);
    await cli.ok(['hosts', 'add', 'pve1-a', '--address', '192.168.1.10']);
    await cli.ok(['hosts', 'add', 'pve1-b', '--address', '192.168.1.10']);
    const two = await cli.run(['pve', 'firewall', 'homelab', '--ssh-from', '192.168.1.0/24', '--web-ui', '127.0.0.1', '--apply', '--yes']);
    expect(two.stderr).toMatch(/several inventory hosts are at homelab's node addresses \(pve1-a, pve1-b\)/);
    expect(sim.state.firewall.rules).toEqual([]);
  });

  it('sync reads guests with their addresses into the vault; list shows them, also as JSON', async () => {
    await cli.ok(['pve', 'add', '--name', 'homelab', '--url', sim.url, '--token', token(), '--fingerprint', sim.fingerprint()]);
    const synced = await cli.run(['pve', 'sync']);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain('homelab: 2 node(s) (pve2 unreachable), 5 guest(s), 2 change(s) to review');
    expect(synced.stdout).toContain('  new      web (100): 192.168.1.50');
    expect(synced.stderr).toContain('homelab: guest addresses 5/5');
    const list = JSON.parse(await cli.ok(['--json', 'pve', 'list'])) as { id: string; name: string; guests: { vmid: number; addresses: { address: string }[] }[]; lastSync: { nodes: unknown[] } }[];
    expect(list).toHaveLength(1);
    expect(list[0]!.guests.map((g) => [g.vmid, g.addresses.map((a) => a.address)])).toEqual([
      [100, ['192.168.1.50']],
      [101, []],
      [102, []],
      [200, ['192.168.1.53', 'fd00::53']],
      [300, []],
    ]);
    expect(await cli.ok(['pve', 'list'])).toMatch(/homelab\s+pve1\s+100\s+qemu\s+web\s+running\s+192\.168\.1\.50\s+prod,web/);
    const accepted = await cli.run(['pve', 'accept', 'web,200', '--add-host', '--user', 'admin']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toBe('accepted web: host web created\naccepted dns: host dns created\n');
    expect((await cli.hosts()).map((h) => [h.name, h.address, h.user, h.guest])).toEqual([
      ['dns', '192.168.1.53', 'admin', { nodeId: list[0]!.id, vmid: 200 }],
      ['web', '192.168.1.50', 'admin', { nodeId: list[0]!.id, vmid: 100 }],
    ]);
    expect(await cli.ok(['pve', 'accept', 'all'])).toBe('nothing to accept\n');
    expect((await cli.run(['pve', 'accept', '101'])).stderr).toMatch(/no change to accept for "101"/);
    const unknown = await cli.run(['pve', 'sync', 'nope']);
    expect(unknown.code).toBe(ExitCode.NOT_FOUND);
    expect(unknown.stderr).toMatch(/no Proxmox endpoint named nope \(known: homelab\)/);
  });

  it('add --user signs in with a password from the environment or a file; the two sign-ins exclude each other', async () => {
    const both = await cli.run(['pve', 'add', '--name', 'x', '--url', sim.url, '--token', token(), '--user', 'root@pam']);
    expect(both.code).toBe(ExitCode.USAGE);
    expect(both.stderr).toMatch(/either --token .* or --user/);
    const noPassword = await cli.run(['pve', 'add', '--name', 'pw', '--url', sim.url, '--user', 'root@pam', '--fingerprint', sim.fingerprint()]);
    expect(noPassword.code).toBe(ExitCode.USAGE);
    expect(noPassword.stderr).toMatch(/BULWARK_PVE_PASSWORD/);
    const badUser = await cli.run(['pve', 'add', '--name', 'pw', '--url', sim.url, '--user', 'root', '--fingerprint', sim.fingerprint()], { env: { BULWARK_PVE_PASSWORD: ROOT_USER.password } });
    expect(badUser.code).toBe(ExitCode.VALIDATION);
    expect(badUser.stderr).toMatch(/user: must be a user with its realm, like root@pam/);

    const added = await cli.run(['pve', 'add', '--name', 'pw', '--url', sim.url, '--user', 'root@pam', '--fingerprint', sim.fingerprint()], { env: { BULWARK_PVE_PASSWORD: ROOT_USER.password } });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout + added.stderr).not.toContain(ROOT_USER.password);
    const file = cli.write('pve-password', `${ROOT_USER.password}\n`);
    const fromFile = await cli.run(['--json', 'pve', 'add', '--name', 'pw2', '--url', sim.url, '--user', 'root@pam', '--password-file', file, '--fingerprint', sim.fingerprint(), '--pin-certificate']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ endpoint: { auth: 'password', user: 'root@pam', pin: 'certificate' }, pinned: { kind: 'certificate', sha256: sim.fingerprint() } });
    expect((await cli.run(['pve', 'sync', 'pw,pw2'])).code).toBe(0);
  });

  it('trust re-pins an endpoint whose certificate was replaced, after showing it; sync works again', async () => {
    const own = await startPveSim(sampleFleet());
    try {
      await cli.ok(['pve', 'add', '--name', 'solo', '--url', own.url, '--token', token(), '--fingerprint', own.fingerprint(), '--pin-certificate']);
      own.rotateCertificate({ sameCa: true });
      const refused = await cli.run(['pve', 'sync', 'solo']);
      expect(refused.code).toBe(ExitCode.HOST_KEY);
      expect(refused.stdout).toMatch(/solo: sync failed: Refused to talk to solo: .*bulwark pve trust/);

      const unattended = await cli.run(['pve', 'trust', 'solo']);
      expect(unattended.code).toBe(ExitCode.HOST_KEY);
      expect(unattended.stderr).toContain(`--fingerprint ${own.fingerprint()}`);
      const declined = await cli.run(['pve', 'trust', 'solo'], { prompts: ['n'] });
      expect(declined.code).toBe(ExitCode.HOST_KEY);
      expect(cli.shownPrompts.at(-1)).toMatch(/^Trust this certificate for solo instead of the pinned [0-9A-F:]+\? \[y\/N\] $/);

      const trusted = await cli.run(['pve', 'trust', 'solo'], { prompts: ['y'] });
      expect(trusted.code, trusted.stderr).toBe(0);
      expect(trusted.stdout).toContain(`solo: the cluster CA (`);
      expect(trusted.stdout).toContain(own.caFingerprint());
      own.rotateCertificate({ sameCa: true });
      expect((await cli.run(['pve', 'sync', 'solo'])).code).toBe(0);
    } finally {
      await own.close();
    }
  });
});
