/**
 * Ansible (Debian's `ansible` package) running guide-baseline.yml as a child process, with the
 * settings a careful operator would pick: forks = number of hosts, pipelining on, facts off
 * (the playbook stats the one file it needs), strict host key checking against the fleet's
 * known_hosts, OpenSSH connection sharing within a run (Ansible's default). Every push starts
 * cold: a new control-socket directory, and the masters are closed after the run (untimed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Contender, type ContenderFactory, type Pass, controllerAddress } from './contender';

const PLAYBOOK = join(__dirname, 'guide-baseline.yml');

interface Recap {
  host: string;
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
}

export function parseRecap(out: string): Recap[] {
  const rows: Recap[] = [];
  const tail = out.slice(out.lastIndexOf('PLAY RECAP'));
  for (const m of tail.matchAll(/^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    rows.push({ host: m[1]!, ok: Number(m[2]), changed: Number(m[3]), unreachable: Number(m[4]), failed: Number(m[5]) });
  }
  return rows;
}

export interface AnsibleConfigOptions {
  /** Holds inventory.ini and Ansible's local temp files. */
  dir: string;
  forks: number;
  knownHostsPath: string;
  controlPathDir: string;
  /** How long OpenSSH keeps a connection open after its last use, e.g. '60s'. */
  controlPersist: string;
}

/**
 * ansible.cfg as a careful operator writes it: host keys checked against the fleet's
 * known_hosts only, no agent or user ssh config, facts off, pipelining and connection sharing on.
 */
export function ansibleConfig(o: AnsibleConfigOptions): string {
  const sshArgs = [
    '-F /dev/null', '-o IdentitiesOnly=yes', '-o IdentityAgent=none',
    `-o UserKnownHostsFile=${o.knownHostsPath}`, '-o GlobalKnownHostsFile=/dev/null', '-o StrictHostKeyChecking=yes',
    '-o ControlMaster=auto', `-o ControlPersist=${o.controlPersist}`,
  ].join(' ');
  return [
    '[defaults]',
    `inventory = ${join(o.dir, 'inventory.ini')}`,
    `forks = ${o.forks}`,
    'host_key_checking = True',
    'gathering = explicit',
    'retry_files_enabled = False',
    'interpreter_python = /usr/bin/python3',
    'nocolor = True',
    `local_tmp = ${join(o.dir, 'tmp')}`,
    '',
    '[ssh_connection]',
    'pipelining = True',
    `ssh_args = ${sshArgs}`,
    `control_path_dir = ${o.controlPathDir}`,
    '',
  ].join('\n');
}

export const ansible: ContenderFactory = async (fleet, workDir): Promise<Contender> => {
  const dir = join(workDir, 'ansible');
  mkdirSync(join(dir, 'host_vars'), { recursive: true, mode: 0o700 });
  writeFileSync(
    join(dir, 'inventory.ini'),
    ['[fleet]', ...fleet.hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=22 ansible_user=admin ansible_ssh_private_key_file=${fleet.testKey.privateKeyPath}`), '',
     '[fleet:vars]', `controller_address=${controllerAddress(fleet)}`, ''].join('\n'),
  );
  // the sudo password only in 0600 files inside a 0700 directory, never on a command line
  for (const h of fleet.hosts) writeFileSync(join(dir, 'host_vars', `${h.name}.yml`), `ansible_become_password: ${JSON.stringify(h.adminPassword)}\n`, { mode: 0o600 });
  let run = 0;

  return {
    async push(pass: Pass) {
      const cp = join(dir, `cp-${run++}`);
      mkdirSync(cp, { mode: 0o700 });
      const cfg = join(dir, `ansible-${run}.cfg`);
      writeFileSync(cfg, ansibleConfig({ dir, forks: fleet.hosts.length, knownHostsPath: fleet.knownHostsPath, controlPathDir: cp, controlPersist: '60s' }));
      const t0 = performance.now();
      const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn('ansible-playbook', [PLAYBOOK], { env: { ...process.env, ANSIBLE_CONFIG: cfg, ANSIBLE_FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (d) => (text += d));
        child.stderr.on('data', (d) => (text += d));
        child.on('close', (c) => resolve({ code: c, out: text }));
      });
      const ms = performance.now() - t0;
      // close this run's ControlPersist masters so the next push starts cold
      for (const sock of readdirSync(cp)) spawnSync('ssh', ['-o', `ControlPath=${join(cp, sock)}`, '-O', 'exit', 'x'], { stdio: 'ignore' });
      const recap = parseRecap(out);
      if (code !== 0 || recap.length !== fleet.hosts.length || recap.some((r) => r.failed || r.unreachable)) {
        throw new Error(`ansible-playbook ${pass} exited ${String(code)}:\n${out.slice(-3000)}`);
      }
      const changed = recap.filter((r) => r.changed > 0).length;
      if (pass === 'again' && changed) throw new Error(`ansible re-run changed ${changed} hosts:\n${out.slice(-3000)}`);
      return { ms, summary: `changed on ${changed} of ${recap.length} hosts` };
    },
    close: async () => undefined,
  };
};
