/**
 * Ansible's side: `ansible-inventory --list` with community.general's proxmox inventory plugin
 * (Debian's `ansible` package), token auth, want_facts on. The plugin cannot pin a certificate,
 * so it runs with validate_certs: false. Only that plugin is enabled, so ansible-inventory does
 * not try the other inventory plugins on the file first (the documented way to set it up).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PveSim } from '../../tests/pve-sim';
import type { ContenderRun } from './contender';
import { BENCH_TOKEN, type GuestAddresses } from './fleet';
import { runMeasured } from './measure';

export function pluginConfig(sim: PveSim): string {
  const [user, tokenId] = BENCH_TOKEN.id.split('!');
  return [
    'plugin: community.general.proxmox',
    `url: ${sim.url}`,
    `user: ${user}`,
    `token_id: ${tokenId}`,
    `token_secret: ${BENCH_TOKEN.secret}`,
    'validate_certs: false',
    'want_facts: true',
    '',
  ].join('\n');
}

type HostVars = Record<string, unknown>;

/** "10.77.0.1/16" → "10.77.0.1"; IPv6, loopback and non-addresses (dhcp, manual) → nothing. */
function ipv4Of(cidr: unknown): string[] {
  if (typeof cidr !== 'string') return [];
  const ip = cidr.split('/')[0]!;
  return /^\d+\.\d+\.\d+\.\d+$/.test(ip) && !ip.startsWith('127.') ? [ip] : [];
}

/**
 * Every IPv4 address the plugin exposes for a guest: the agent's interfaces
 * (proxmox_agent_interfaces), a container's `proxmox_netN.ip`, a VM's `proxmox_ipconfigN.ip`:
 * the three places an Ansible user would compose ansible_host from.
 */
export function addressesFromInventory(json: string): GuestAddresses {
  const inv = JSON.parse(json) as { _meta?: { hostvars?: Record<string, HostVars> } };
  const out: GuestAddresses = new Map();
  for (const vars of Object.values(inv._meta?.hostvars ?? {})) {
    if (vars.proxmox_vmid === undefined) continue; // a node, not a guest
    const found: string[] = [];
    for (const iface of (vars.proxmox_agent_interfaces as { name: string; 'ip-addresses': string[] }[] | undefined) ?? []) {
      if (iface.name !== 'lo') found.push(...iface['ip-addresses'].flatMap(ipv4Of));
    }
    for (const [key, value] of Object.entries(vars)) {
      const isStatic = vars.proxmox_vmtype === 'lxc' ? /^proxmox_net\d+$/.test(key) : /^proxmox_ipconfig\d+$/.test(key);
      if (isStatic && value && typeof value === 'object') found.push(...ipv4Of((value as Record<string, unknown>).ip));
    }
    out.set(Number(vars.proxmox_vmid), found.sort());
  }
  return out;
}

export async function runAnsible(sim: PveSim, dir: string): Promise<ContenderRun> {
  const config = join(dir, 'x.proxmox.yml');
  writeFileSync(config, pluginConfig(sim), { mode: 0o600 });
  // requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session's verify=False
  // (psf/requests#3829), which would turn validate_certs: false back on where they are set
  const { REQUESTS_CA_BUNDLE: _r, CURL_CA_BUNDLE: _c, ...inherited } = process.env;
  const env = {
    ...inherited,
    ANSIBLE_HOME: join(dir, 'ansible-home'),
    ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp'),
    ANSIBLE_INVENTORY_ENABLED: 'community.general.proxmox',
    // a source the plugin cannot read must fail the run, not yield an empty inventory
    ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True',
    ANSIBLE_NOCOLOR: '1',
  };
  const run = await runMeasured('ansible-inventory', ['-i', config, '--list'], { dir, env });
  if (run.code !== 0) throw new Error(`ansible-inventory exited ${String(run.code)}:\n${run.stderr.slice(-3000)}`);
  return { ms: run.wallMs, processMs: run.wallMs, maxRssKiB: run.maxRssKiB, guests: addressesFromInventory(run.stdout) };
}
