/**
 * The raw floor: ssh(1) (OpenSSH, no connection sharing) once per host, all hosts at once, as
 * admin with `sudo -S sh -s`: the password line and then the script on stdin over that one
 * connection. No facts, no backups, no verification: the least work that reaches the end state.
 */
import { spawn } from 'node:child_process';
import type { Fleet, FleetHost } from '../../tests/fleet/fleet';
import { rawScript } from './baseline';
import { type Contender, type ContenderFactory, controllerAddress } from './contender';

function pushOne(fleet: Fleet, h: FleetHost, script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('ssh', [...fleet.sshArgs(h, 'admin'), '--', "sudo -S -p '' -k sh -s"], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
    // sudo reads its password byte by byte up to the newline; sh reads the rest
    child.stdin.end(`${h.adminPassword}\n${script}`);
  });
}

export const rawFloor: ContenderFactory = async (fleet): Promise<Contender> => {
  const script = rawScript(controllerAddress(fleet));
  return {
    async push() {
      const t0 = performance.now();
      const rs = await Promise.all(fleet.hosts.map((h) => pushOne(fleet, h, script)));
      const ms = performance.now() - t0;
      const bad = rs.findIndex((r) => r.code !== 0 || !r.out.includes('raw-applied'));
      if (bad >= 0) throw new Error(`raw script failed on ${fleet.hosts[bad]!.name} (exit ${String(rs[bad]!.code)}): ${rs[bad]!.out.trim() || "no output"}`);
      return { ms, summary: `${rs.length} ran the script` };
    },
    close: async () => undefined,
  };
};
