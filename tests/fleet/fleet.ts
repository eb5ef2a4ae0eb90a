/**
 * A fleet of real Debian 12 hosts for integration tests and benchmarks: systemd-nspawn containers
 * booting full systemd (sshd, journald or rsyslog, fail2ban, sudo, ufw) on a private bridge.
 *
 *   const fleet = await startFleet({ count: 3, variant: 'mixed' });
 *   await fleet.ssh('fleet-01', 'id -u');            // root, test key, strict host key checking
 *   await fleet.restartHost('fleet-02', { regenerateHostKeys: true });
 *   await fleet.stop();                                // nothing left: processes, links, netns, dirs
 *
 * Each host boots the cached rootfs (rootfs.ts) as the read-only lower layer of an overlay whose
 * upper dir is the host's own disk (STATE_ROOT/fleets/NAME/hosts/HOST/upper): changes survive
 * restartHost() like on a real reboot, and vanish with stop(). Host keys are generated at first
 * boot into that upper dir; regenerateHostKeys deletes them before the next boot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  childrenOf,
  isAlive,
  run,
  runOk,
  signal,
  sleep,
  waitGone,
  waitGoneSync,
  type RunOptions,
  type RunResult,
} from './exec';
import { inCgroups, leftoverCgroups, prepareMachineCgroups, removeCgroupsByPrefix, removeMachineCgroups } from './cgroups';
import { CACHE_ROOT, STATE_ROOT, readOr, removeTree, withLock } from './fsutil';
import {
  MAX_HOSTS,
  allocateOctet,
  attackerAddress,
  bridgeAddress,
  createAttacker,
  createBridge,
  fleetId,
  hostAddress,
  linkNames,
  machineName,
  namesFor,
  netnsNames,
  netnsPids,
  raiseInotifyLimits,
  removeNetwork,
  removeNetworkSync,
  vethName,
} from './net';
import { ensureRsaPool, installRsaHostKey } from './hostkeys';
import { FLEETS_DIR, containerPids, nspawnPids, startTime } from './procs';
import { APT_REPO_MOUNT, APT_SOURCE, ensureAptRepo } from './apt-repo';
import { ensureRootfs, type RootfsInfo } from './rootfs';

export type HostVariant = 'rsyslog' | 'journald';
export type FleetVariant = HostVariant | 'mixed';

export interface StartFleetOptions {
  count: number;
  /** 'mixed' (default) alternates: odd hosts rsyslog, even hosts journald (Debian 12's default). */
  variant?: FleetVariant;
  /** Names the fleet's state dir and network; default `t<pid>`. A crashed run's leftovers under
   * the same name (or any fleet whose owner died) are removed first. */
  name?: string;
  /** Hostnames are PREFIX-01, PREFIX-02, ...; default 'fleet'. */
  hostnamePrefix?: string;
  /** Per boot, from spawning to SSH answering and systemd settled; default 180 s. */
  readyTimeoutMs?: number;
  /** Let every host generate its RSA host key at first boot too (about 1 s of CPU per host)
   * instead of taking one from the cached pool (hostkeys.ts). */
  freshRsaHostKeys?: boolean;
  /** For the CLI: the hosts outlive this process and are stopped with `cli.ts down`. */
  detached?: boolean;
  log?: (line: string) => void;
}

export interface FleetHost {
  /** The hostname, e.g. fleet-01 (resolves on the host itself through /etc/hosts). */
  readonly name: string;
  readonly index: number;
  readonly address: string;
  readonly port: 22;
  readonly variant: HostVariant;
  readonly rootPassword: string;
  readonly adminPassword: string;
  /** systemd-nspawn machine name and host-side veth. */
  readonly machine: string;
  readonly veth: string;
  /** The host's disk (overlay upper dir) and console log live here. */
  readonly stateDir: string;
  /** SHA256:... of the ED25519 host key, as `ssh-keygen -lf` prints it on the host. */
  hostKeyFingerprint: string;
  /** known_hosts-style public keys of the host, one per type ("ssh-ed25519 AAAA..."). */
  hostPublicKeys: string[];
  /** `systemctl is-system-running` once booted: running, or degraded (see failedUnits). */
  systemState: string;
  failedUnits: string[];
  /** Last boot: spawn to sshd's banner, and spawn to ready (systemd settled). */
  bannerMs: number;
  bootMs: number;
  /** systemd-nspawn's pid (the container's init is its child). */
  pid: number;
}

export interface Attacker {
  netns: string;
  address: string;
  /** Runs `sh -c cmd` inside the attacker namespace. */
  exec(cmd: string, opts?: RunOptions): Promise<RunResult>;
  /** One SSH password login attempt from the attacker (fails with exit 255 unless the password is right). */
  tryPassword(target: FleetHost | string, user: string, password: string): Promise<RunResult>;
}

export interface SshOptions {
  user?: string;
  input?: string;
  timeoutMs?: number;
}

export interface Fleet {
  readonly name: string;
  readonly subnet: string;
  readonly bridge: string;
  readonly gateway: string;
  readonly hosts: readonly FleetHost[];
  readonly testKey: { privateKeyPath: string; publicKey: string };
  /** A known_hosts file with every host's current keys (updated by restartHost). */
  readonly knownHostsPath: string;
  readonly attacker: Attacker;
  readonly rootfs: RootfsInfo;
  /** Spawn of the first host to the last host ready. */
  readonly bootMs: number;
  host(name: string): FleetHost;
  /** ssh(1) arguments (without "ssh" and the command) for the test key and strict host keys. */
  sshArgs(host: FleetHost | string, user?: string): string[];
  ssh(host: FleetHost | string, command: string, opts?: SshOptions): Promise<RunResult>;
  restartHost(name: string, opts?: { regenerateHostKeys?: boolean }): Promise<FleetHost>;
  /** Drops all of the host's traffic (its veth goes down) to simulate an unreachable host. */
  cutOff(name: string): Promise<void>;
  restore(name: string): Promise<void>;
  /** Stops every host and removes the fleet. Hosts are killed (their disks are thrown away
   * anyway); graceful: true powers them off cleanly first (slower: ~0.5 s of CPU per host). */
  stop(opts?: { graceful?: boolean }): Promise<void>;
}

interface FleetState {
  name: string;
  id: string;
  octet: number;
  ownerPid: number | null;
  ownerStart: number | null;
  rootfsHash: string;
  createdAt: string;
  hosts: {
    name: string;
    index: number;
    machine: string;
    address: string;
    variant: HostVariant;
    pid: number;
  }[];
}

const NAME_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
const GLOBAL_LOCK = path.join(STATE_ROOT, '.lock');

export function fleetDir(name: string): string {
  return path.join(FLEETS_DIR, name);
}

function readState(name: string): FleetState | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(fleetDir(name), 'fleet.json'), 'utf8')) as FleetState;
  } catch {
    return null;
  }
}

function writeState(state: FleetState): void {
  const file = path.join(fleetDir(state.name), 'fleet.json');
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

function ownerAlive(state: FleetState): boolean {
  if (state.ownerPid === null) return state.hosts.some((h) => isAlive(h.pid) && nspawnOf(h.pid, h.machine));
  return isAlive(state.ownerPid) && startTime(state.ownerPid) === state.ownerStart;
}

function nspawnOf(pid: number, machine: string): boolean {
  return readOr(`/proc/${pid}/cmdline`, '').split('\0').includes(`--machine=${machine}`);
}

/** Every fleet with state on this machine. */
export function listFleets(): (FleetState & { alive: boolean })[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(FLEETS_DIR);
  } catch {
    return [];
  }
  return names
    .map(readState)
    .filter((s): s is FleetState => s !== null)
    .map((s) => ({ ...s, alive: ownerAlive(s) }));
}

/**
 * Stops and removes everything of one fleet, found by name and id rather than by what a (maybe
 * crashed) owner remembered: its systemd-nspawn processes, the processes inside its hosts, the
 * attacker's processes, links, namespace and state dir.
 */
export async function teardownFleet(name: string, opts: { graceful?: boolean } = {}): Promise<void> {
  const id = readState(name)?.id ?? fleetId(name);
  const nspawns = nspawnPids(`bwf-${id}-`).map((p) => p.pid);
  if (opts.graceful) {
    for (const pid of nspawns) signal(pid, 'SIGTERM');
    await waitGone(nspawns, 15_000);
  }
  await killHard(nspawns, containerPids().filter((c) => c.fleet === name).map((c) => c.pid));
  const names = namesFor(id);
  if ((await netnsNames()).includes(names.netns)) {
    const inNs = await netnsPids(names.netns);
    inNs.forEach((p) => signal(p, 'SIGKILL'));
    await waitGone(inNs, 5_000);
  }
  await removeNetwork(id);
  removeCgroupsByPrefix(`bwf-${id}-`);
  removeTree(fleetDir(name));
}

/** Kills containers' processes (init first, which takes its pid namespace with it), then nspawn. */
async function killHard(nspawns: number[], inside: number[]): Promise<void> {
  const inits = nspawns.flatMap(childrenOf);
  [...inits, ...inside].forEach((p) => signal(p, 'SIGKILL'));
  await waitGone([...inits, ...inside], 5_000);
  const left = await waitGone(nspawns, 5_000);
  left.forEach((p) => signal(p, 'SIGKILL'));
  const stuck = await waitGone([...nspawns, ...inits, ...inside], 5_000);
  if (stuck.length > 0) throw new Error(`processes would not exit: ${stuck.join(', ')}`);
}

/**
 * Removes fleets whose owner died (and detached fleets with no host running), plus kernel objects
 * and processes named like a fleet that has no state at all (a run killed mid-start). Call under
 * the global lock.
 */
async function sweepStale(log: (l: string) => void): Promise<void> {
  const known = new Map<string, string>(); // id -> name of live fleets
  for (const s of listFleets()) {
    if (s.alive) {
      known.set(s.id, s.name);
    } else {
      log(`removing leftovers of fleet '${s.name}' (owner gone)`);
      await teardownFleet(s.name);
    }
  }
  // state dirs without a readable fleet.json (crash between mkdir and write)
  try {
    for (const d of fs.readdirSync(FLEETS_DIR)) {
      if (readState(d)) continue;
      log(`removing leftovers of fleet '${d}' (no fleet.json)`);
      await teardownFleet(d);
    }
  } catch {
    // no fleets dir yet
  }
  const orphanIds = new Set<string>();
  for (const l of await linkNames()) {
    const m = /^(?:vb-)?bwf-([0-9a-f]{4})-/.exec(l);
    if (m?.[1] && !known.has(m[1])) orphanIds.add(m[1]);
  }
  for (const n of await netnsNames()) {
    const m = /^bwf-([0-9a-f]{4})-atk$/.exec(n);
    if (m?.[1] && !known.has(m[1])) orphanIds.add(m[1]);
  }
  for (const p of nspawnPids('bwf-')) {
    const m = /^bwf-([0-9a-f]{4})-/.exec(p.machine);
    if (m?.[1] && !known.has(m[1])) orphanIds.add(m[1]);
  }
  for (const cg of leftoverCgroups('bwf-')) {
    const m = /^bwf-([0-9a-f]{4})-/.exec(path.basename(cg));
    if (m?.[1] && !known.has(m[1])) orphanIds.add(m[1]);
  }
  for (const id of orphanIds) {
    log(`removing orphaned fleet objects bwf-${id}-*`);
    const nspawns = nspawnPids(`bwf-${id}-`).map((p) => p.pid);
    await killHard(nspawns, []);
    const ns = namesFor(id).netns;
    if ((await netnsNames()).includes(ns)) (await netnsPids(ns)).forEach((p) => signal(p, 'SIGKILL'));
    await removeNetwork(id);
    removeCgroupsByPrefix(`bwf-${id}-`);
  }
  const liveNames = new Set(known.values());
  const strays = containerPids().filter((c) => !liveNames.has(c.fleet));
  if (strays.length > 0) await killHard([], strays.map((c) => c.pid));
}

/** Removes every fleet whose owner process died (and orphaned fleet objects); returns their names. */
export async function sweepStaleFleets(log: (l: string) => void = () => undefined): Promise<string[]> {
  const swept: string[] = [];
  await withLock(GLOBAL_LOCK, 120_000, () =>
    sweepStale((l) => {
      swept.push(l);
      log(l);
    }),
  );
  return swept;
}

export interface Leftovers {
  processes: string[];
  links: string[];
  netns: string[];
  mounts: string[];
  cgroups: string[];
  stateDirs: string[];
}

/** What a fleet (or, without a name, any fleet) still has on this machine. Empty after stop(). */
export async function findLeftovers(name?: string): Promise<Leftovers> {
  const prefix = name === undefined ? 'bwf-' : `bwf-${readState(name)?.id ?? fleetId(name)}-`;
  const processes = [
    ...nspawnPids(prefix).map((p) => `${p.pid} systemd-nspawn --machine=${p.machine}`),
    ...containerPids()
      .filter((c) => name === undefined || c.fleet === name)
      .map((c) => `${c.pid} in fleet ${c.fleet}: ${readOr(`/proc/${c.pid}/comm`, '?').trim()}`),
  ];
  const nsList = (await netnsNames()).filter((n) => n.startsWith(prefix));
  for (const ns of nsList) processes.push(...(await netnsPids(ns)).map((p) => `${p} in netns ${ns}`));
  const mounts = readOr('/proc/self/mountinfo', '')
    .split('\n')
    .filter((l) => l.includes(FLEETS_DIR) || l.includes(CACHE_ROOT) || l.includes(`/run/netns/${prefix}`));
  let stateDirs: string[] = [];
  try {
    stateDirs = fs
      .readdirSync(FLEETS_DIR)
      .filter((d) => name === undefined || d === name)
      .map((d) => path.join(FLEETS_DIR, d));
  } catch {
    // none
  }
  return {
    processes,
    links: (await linkNames()).filter((l) => l.startsWith(prefix) || l.startsWith(`vb-${prefix}`)),
    netns: nsList,
    mounts,
    cgroups: leftoverCgroups(prefix),
    stateDirs,
  };
}

function networkFile(address: string): string {
  // Sorts before systemd's 80-container-host0.network, which would otherwise win (link-local only).
  return `# Bulwark test fleet: static address on the private bridge, no gateway, no DNS
[Match]
Virtualization=container
Name=host0

[Network]
Address=${address}/24
LinkLocalAddressing=no
IPv6AcceptRA=no
# cutOff() takes the link's carrier away; keep the address so restore() is instant
ConfigureWithoutCarrier=yes
IgnoreCarrierLoss=yes
`;
}

/** The host's first-boot disk contents: identity, network and (journald variant) no rsyslog. */
function prepareUpper(upper: string, host: { name: string; address: string; variant: HostVariant }, rsaPoolKey?: string, aptRepo = false): void {
  const w = (rel: string, text: string): void => {
    const file = path.join(upper, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.writeFileSync(file, text, { mode: 0o644 });
  };
  fs.mkdirSync(upper, { recursive: true, mode: 0o755 });
  fs.chmodSync(upper, 0o755); // the upper dir's own mode becomes the mode of /
  w('etc/hostname', `${host.name}\n`);
  w(
    'etc/hosts',
    `127.0.0.1\tlocalhost\n${host.address}\t${host.name}\n\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n`,
  );
  w('etc/machine-id', `${randomBytes(16).toString('hex')}\n`);
  w('etc/systemd/network/10-host0.network', networkFile(host.address));
  if (host.variant === 'journald') {
    // Debian 12's default: no syslog daemon, so no /var/log/auth.log
    fs.mkdirSync(path.join(upper, 'etc/systemd/system'), { recursive: true, mode: 0o755 });
    fs.symlinkSync('/dev/null', path.join(upper, 'etc/systemd/system/rsyslog.service'));
  }
  if (rsaPoolKey) installRsaHostKey(rsaPoolKey, path.join(upper, 'etc/ssh'), host.name);
  // the local apt repository (apt-repo.ts), bind-mounted read-only at boot
  if (aptRepo) w('etc/apt/sources.list.d/bulwark-fleet.list', APT_SOURCE);
}

function sshBanner(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: address, port });
    let buf = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('data', (b: Buffer) => {
      buf += b.toString('latin1');
      if (buf.includes('\n')) done(buf.startsWith('SSH-2.0-'));
    });
    sock.on('close', () => done(false));
  });
}

interface HostRuntime {
  host: FleetHost;
  child: ChildProcess | null;
  cut: boolean;
}

const live = new Set<FleetImpl>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const f of live) f.emergencyStopSync();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const f of live) f.emergencyStopSync();
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  }
}

class FleetImpl implements Fleet {
  readonly subnet: string;
  readonly bridge: string;
  readonly gateway: string;
  readonly testKey: { privateKeyPath: string; publicKey: string };
  readonly knownHostsPath: string;
  readonly attacker: Attacker;
  bootMs = 0;
  private readonly dir: string;
  private readonly askpass: string;
  private readonly runtimes = new Map<string, HostRuntime>();
  private stopped = false;

  constructor(
    private readonly state: FleetState,
    readonly rootfs: RootfsInfo,
    private readonly detached: boolean,
    private readonly readyTimeoutMs: number,
    private readonly log: (l: string) => void,
  ) {
    const names = namesFor(state.id);
    this.dir = fleetDir(state.name);
    this.subnet = `${bridgeAddress(state.octet).replace(/\.1$/, '.0')}/24`;
    this.bridge = names.bridge;
    this.gateway = bridgeAddress(state.octet);
    this.testKey = { privateKeyPath: rootfs.privateKeyPath, publicKey: rootfs.publicKey };
    this.knownHostsPath = path.join(this.dir, 'known_hosts');
    this.askpass = path.join(this.dir, 'askpass.sh');
    fs.writeFileSync(this.askpass, '#!/bin/sh\nprintf \'%s\\n\' "$BULWARK_FLEET_PASSWORD"\n', { mode: 0o700 });
    fs.writeFileSync(this.knownHostsPath, '', { mode: 0o600 });
    const address = attackerAddress(state.octet);
    const askpass = this.askpass;
    this.attacker = {
      netns: names.netns,
      address,
      exec: (cmd, opts) => run('ip', ['netns', 'exec', names.netns, 'sh', '-c', cmd], opts),
      tryPassword: (target, user, password) =>
        run(
          'ip',
          [
            'netns', 'exec', names.netns, 'ssh', '-F', '/dev/null',
            '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'GlobalKnownHostsFile=/dev/null',
            '-o', 'PreferredAuthentications=password,keyboard-interactive', '-o', 'PubkeyAuthentication=no',
            '-o', 'NumberOfPasswordPrompts=1', '-o', 'ConnectTimeout=10', '-o', 'LogLevel=ERROR',
            `${user}@${typeof target === 'string' ? target : target.address}`, 'true',
          ],
          {
            timeoutMs: 30_000,
            env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', BULWARK_FLEET_PASSWORD: password },
          },
        ),
    };
  }

  get name(): string {
    return this.state.name;
  }

  get hosts(): readonly FleetHost[] {
    return [...this.runtimes.values()].map((r) => r.host);
  }

  host(name: string): FleetHost {
    return this.runtime(name).host;
  }

  private runtime(name: string): HostRuntime {
    const r = this.runtimes.get(name);
    if (!r) throw new Error(`no host '${name}' in fleet '${this.name}' (hosts: ${[...this.runtimes.keys()].join(', ')})`);
    return r;
  }

  sshArgs(host: FleetHost | string, user = 'root'): string[] {
    const h = typeof host === 'string' ? this.host(host) : host;
    return [
      '-F', '/dev/null', '-i', this.testKey.privateKeyPath,
      '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none', '-o', 'BatchMode=yes',
      '-o', `UserKnownHostsFile=${this.knownHostsPath}`, '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'StrictHostKeyChecking=yes', '-o', 'ConnectTimeout=10', '-o', 'LogLevel=ERROR',
      '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3',
      '-p', String(h.port), `${user}@${h.address}`,
    ];
  }

  ssh(host: FleetHost | string, command: string, opts: SshOptions = {}): Promise<RunResult> {
    const runOpts: RunOptions = { timeoutMs: opts.timeoutMs ?? 60_000 };
    if (opts.input !== undefined) runOpts.input = opts.input;
    return run('ssh', [...this.sshArgs(host, opts.user), '--', command], runOpts);
  }

  /** Creates the hosts' records (not started). */
  addHosts(count: number, variant: FleetVariant, prefix: string, rsaPool: readonly string[]): void {
    for (let i = 1; i <= count; i++) {
      const name = `${prefix}-${String(i).padStart(2, '0')}`;
      const machine = machineName(this.state.id, i);
      const v: HostVariant = variant === 'mixed' ? (i % 2 === 1 ? 'rsyslog' : 'journald') : variant;
      const host: FleetHost = {
        name,
        index: i,
        address: hostAddress(this.state.octet, i),
        port: 22,
        variant: v,
        rootPassword: this.rootfs.rootPassword,
        adminPassword: this.rootfs.adminPassword,
        machine,
        veth: vethName(machine),
        stateDir: path.join(this.dir, 'hosts', name),
        hostKeyFingerprint: '',
        hostPublicKeys: [],
        systemState: '',
        failedUnits: [],
        bannerMs: 0,
        bootMs: 0,
        pid: 0,
      };
      prepareUpper(path.join(host.stateDir, 'upper'), host, rsaPool[i - 1], !!this.rootfs.aptRepo);
      this.runtimes.set(name, { host, child: null, cut: false });
    }
  }

  private saveState(): void {
    this.state.hosts = this.hosts.map((h) => ({
      name: h.name,
      index: h.index,
      machine: h.machine,
      address: h.address,
      variant: h.variant,
      pid: h.pid,
    }));
    writeState(this.state);
  }

  private spawnHost(r: HostRuntime): void {
    const h = r.host;
    const upper = path.join(h.stateDir, 'upper');
    const args = [
      '--quiet',
      `--directory=${this.rootfs.rootfs}`,
      `--overlay=${this.rootfs.rootfs}:${upper}:/`,
      `--machine=${h.machine}`,
      `--hostname=${h.name}`,
      '--boot',
      '--register=no',
      '--keep-unit',
      `--network-bridge=${this.bridge}`,
      '--console=read-only',
      '--resolv-conf=off',
      '--timezone=off',
      '--link-journal=no',
      ...(this.rootfs.aptRepo ? [`--bind-ro=${this.rootfs.aptRepo}:${APT_REPO_MOUNT}`] : []),
    ];
    const [, ...argv] = inCgroups(prepareMachineCgroups(h.machine), ['systemd-nspawn', ...args]);
    const logFd = fs.openSync(path.join(h.stateDir, 'console.log'), 'a');
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', argv, { detached: true, stdio: ['ignore', logFd, logFd] });
    } finally {
      fs.closeSync(logFd);
    }
    if (child.pid === undefined) throw new Error(`${h.name}: systemd-nspawn did not start`);
    child.on('error', () => undefined);
    if (this.detached) child.unref();
    h.pid = child.pid;
    r.child = child;
    r.cut = false;
  }

  private readHostKeys(h: FleetHost): string[] {
    const sshDir = path.join(h.stateDir, 'upper', 'etc', 'ssh');
    return ['ed25519', 'ecdsa', 'rsa']
      .map((t) => readOr(path.join(sshDir, `ssh_host_${t}_key.pub`), '').trim().split(/\s+/).slice(0, 2).join(' '))
      .filter((k) => k.includes(' '));
  }

  private writeKnownHosts(): void {
    const lines = this.hosts.flatMap((h) => h.hostPublicKeys.map((k) => `${h.address} ${k}`));
    fs.writeFileSync(`${this.knownHostsPath}.tmp`, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
    fs.renameSync(`${this.knownHostsPath}.tmp`, this.knownHostsPath);
  }

  private consoleTail(h: FleetHost): string {
    return readOr(path.join(h.stateDir, 'console.log'), '').split('\n').slice(-30).join('\n');
  }

  /** Waits for sshd's banner, then for systemd to settle; reads the host key from the host. */
  private async waitReady(r: HostRuntime, started: number): Promise<void> {
    const h = r.host;
    const deadline = started + this.readyTimeoutMs;
    while (!(await sshBanner(h.address, h.port, 1_000))) {
      if (!isAlive(h.pid)) throw new Error(`${h.name}: systemd-nspawn exited while booting:\n${this.consoleTail(h)}`);
      if (Date.now() > deadline) {
        throw new Error(`${h.name}: no SSH banner from ${h.address} after ${this.readyTimeoutMs} ms:\n${this.consoleTail(h)}`);
      }
      await sleep(100);
    }
    h.bannerMs = Date.now() - started;
    h.hostPublicKeys = this.readHostKeys(h);
    this.writeKnownHosts();
    const waitS = Math.max(5, Math.ceil((deadline - Date.now()) / 1000));
    const probe = await this.ssh(
      h,
      `timeout ${waitS} systemctl is-system-running --wait; ` +
        'echo "@@failed $(systemctl --failed --no-legend --plain | cut -d" " -f1 | tr "\\n" " ")"; ' +
        'echo "@@fp $(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)"',
      { timeoutMs: (waitS + 15) * 1000 },
    );
    if (probe.code !== 0) throw new Error(`${h.name}: ssh with the test key failed (${probe.code}): ${probe.stderr.trim()}`);
    const lines = probe.stdout.split('\n');
    h.systemState = lines[0]?.trim() ?? '';
    h.failedUnits = (lines.find((l) => l.startsWith('@@failed '))?.slice(9) ?? '').split(' ').filter(Boolean);
    const fp = /^@@fp \d+ (SHA256:\S+) /m.exec(probe.stdout)?.[1];
    if (!fp) throw new Error(`${h.name}: no ED25519 host key fingerprint in: ${probe.stdout}`);
    h.hostKeyFingerprint = fp;
    if (h.systemState !== 'running' && h.systemState !== 'degraded') {
      throw new Error(`${h.name}: systemd is '${h.systemState}' after boot (failed: ${h.failedUnits.join(' ') || 'none'})`);
    }
    h.bootMs = Date.now() - started;
  }

  async bootAll(): Promise<void> {
    const started = Date.now();
    const all = [...this.runtimes.values()];
    for (const r of all) this.spawnHost(r);
    this.saveState();
    await Promise.all(all.map((r) => this.waitReady(r, started)));
    this.bootMs = Date.now() - started;
    this.log(`fleet '${this.name}': ${all.length} hosts ready in ${(this.bootMs / 1000).toFixed(1)} s`);
  }

  /** Graceful poweroff (SIGTERM to nspawn), then SIGKILL to the container's init if it hangs. */
  private async stopHost(r: HostRuntime, graceful: boolean): Promise<void> {
    const pid = r.host.pid;
    if (!pid || !isAlive(pid)) return;
    if (graceful) {
      signal(pid, 'SIGTERM');
      if ((await waitGone([pid], 15_000)).length > 0) this.log(`${r.host.name}: no clean poweroff in 15 s, killing it`);
    }
    if (isAlive(pid)) await killHard([pid], []);
    r.child = null;
    removeMachineCgroups(r.host.machine);
  }

  async restartHost(name: string, opts: { regenerateHostKeys?: boolean } = {}): Promise<FleetHost> {
    this.assertRunning();
    const r = this.runtime(name);
    await this.stopHost(r, true);
    if (opts.regenerateHostKeys) {
      const sshDir = path.join(r.host.stateDir, 'upper', 'etc', 'ssh');
      for (const f of fs.readdirSync(sshDir)) if (f.startsWith('ssh_host_')) fs.rmSync(path.join(sshDir, f));
    }
    const started = Date.now();
    this.spawnHost(r);
    this.saveState();
    await this.waitReady(r, started);
    this.writeKnownHosts();
    return r.host;
  }

  async cutOff(name: string): Promise<void> {
    this.assertRunning();
    const r = this.runtime(name);
    await runOk('ip', ['link', 'set', r.host.veth, 'down']);
    r.cut = true;
  }

  async restore(name: string): Promise<void> {
    this.assertRunning();
    const r = this.runtime(name);
    await runOk('ip', ['link', 'set', r.host.veth, 'up']);
    r.cut = false;
  }

  private assertRunning(): void {
    if (this.stopped) throw new Error(`fleet '${this.name}' is stopped`);
  }

  async stop(opts: { graceful?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const started = Date.now();
    try {
      await Promise.all([...this.runtimes.values()].map((r) => this.stopHost(r, opts.graceful ?? false)));
    } finally {
      await teardownFleet(this.name); // whatever survived, the network, the state dir
      live.delete(this);
    }
    this.log(`fleet '${this.name}' stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  /** Leaves the hosts running after this process exits (the CLI's `up`). */
  detach(): void {
    live.delete(this);
    this.state.ownerPid = null;
    this.state.ownerStart = null;
    this.saveState();
  }

  /** For process exit: synchronous, SIGKILL, best effort. */
  emergencyStopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    const nspawns = [...this.runtimes.values()].map((r) => r.host.pid).filter((p) => p > 0 && isAlive(p));
    const inits = nspawns.flatMap(childrenOf);
    inits.forEach((p) => signal(p, 'SIGKILL'));
    waitGoneSync(inits, 5_000);
    nspawns.forEach((p) => signal(p, 'SIGKILL'));
    waitGoneSync(nspawns, 5_000);
    removeNetworkSync(this.state.id);
    removeCgroupsByPrefix(`bwf-${this.state.id}-`);
    try {
      removeTree(this.dir);
    } catch {
      // the next startFleet sweeps it
    }
  }
}

/** Boots `count` hosts in parallel and resolves when every one answers SSH with systemd settled. */
export async function startFleet(opts: StartFleetOptions): Promise<Fleet> {
  const log = opts.log ?? (() => undefined);
  const name = opts.name ?? `t${process.pid}`;
  if (!NAME_RE.test(name)) throw new Error(`fleet name '${name}' must match ${NAME_RE}`);
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_HOSTS) {
    throw new Error(`count must be 1..${MAX_HOSTS}`);
  }
  const variant = opts.variant ?? 'mixed';
  if (!['rsyslog', 'journald', 'mixed'].includes(variant)) throw new Error(`unknown variant '${String(variant)}'`);

  const built = await ensureRootfs({ log });
  const aptRepo = await ensureAptRepo(built, log);
  const rootfs: RootfsInfo = aptRepo ? { ...built, aptRepo } : built;
  raiseInotifyLimits(opts.count + listFleets().reduce((n, f) => n + f.hosts.length, 0));

  const fleet = await withLock(GLOBAL_LOCK, 120_000, async () => {
    await sweepStale(log);
    const existing = readState(name);
    if (existing) {
      throw new Error(
        existing.ownerPid === null
          ? `fleet '${name}' is up (detached): stop it with 'npx tsx tests/fleet/cli.ts down --name ${name}'`
          : `fleet '${name}' is in use by pid ${existing.ownerPid}`,
      );
    }
    const taken = new Set(listFleets().map((f) => f.octet));
    const id = fleetId(name);
    if (listFleets().some((f) => f.id === id)) throw new Error(`fleet id ${id} of '${name}' collides: pick another name`);
    const state: FleetState = {
      name,
      id,
      octet: await allocateOctet(taken),
      // a detached fleet is owned by the CLI until it has booted (so a crash mid-boot is swept)
      ownerPid: process.pid,
      ownerStart: startTime(process.pid),
      rootfsHash: rootfs.hash,
      createdAt: new Date().toISOString(),
      hosts: [],
    };
    fs.mkdirSync(fleetDir(name), { recursive: true, mode: 0o700 });
    writeState(state); // before any kernel object exists, so a crash from here on is found by name
    const f = new FleetImpl(state, rootfs, opts.detached ?? false, opts.readyTimeoutMs ?? 180_000, log);
    installExitHandlers();
    live.add(f);
    try {
      const names = namesFor(id);
      await createBridge(names, state.octet);
      await createAttacker(names, state.octet);
    } catch (e) {
      await f.stop();
      throw e;
    }
    return f;
  });

  try {
    const rsaPool = opts.freshRsaHostKeys ? [] : await ensureRsaPool(opts.count, log);
    fleet.addHosts(opts.count, variant, opts.hostnamePrefix ?? 'fleet', rsaPool);
    log(`fleet '${name}': booting ${opts.count} hosts on ${fleet.subnet} (bridge ${fleet.bridge})`);
    await fleet.bootAll();
  } catch (e) {
    await fleet.stop().catch(() => undefined);
    throw e;
  }
  if (opts.detached) fleet.detach();
  return fleet;
}
