/**
 * Builds the test fleet's Debian 12 root file system once, into a cache outside the repo keyed by a
 * hash of the recipe (change the recipe and the next run rebuilds). The build happens in a temporary
 * directory that is renamed into place only when complete, so a crash never leaves a half-built
 * tree where a reader could take it.
 *
 * Every host boots this tree read-only as the lower layer of its own overlay (see fleet.ts). The
 * tree has no SSH host keys: each host generates its own at first boot.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inCgroups, prepareMachineCgroups, removeMachineCgroups } from './cgroups';
import { commandExists, run, runOk } from './exec';
import { CACHE_ROOT, removeTree, withLock } from './fsutil';

/** Bump to force a rebuild when something outside RECIPE changes the result. */
const RECIPE_VERSION = 1;
export const SUITE = 'bookworm';
export const ROOT_PASSWORD = 'fleet-root-pw';
export const ADMIN_PASSWORD = 'fleet-admin-pw';
export const PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'ufw',
  'fail2ban',
  'python3-systemd',
  'iproute2',
  'sudo',
  'rsyslog',
  'iptables',
  'procps',
] as const;

/**
 * Runs inside the new tree (systemd-nspawn, no network) with the passwords and the test public key
 * as arguments. Everything here is part of the recipe hash.
 */
const CUSTOMIZE = String.raw`#!/bin/sh
set -eu
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
ROOT_PW="$1"; ADMIN_PW="$2"; PUBKEY="$3"

# No host keys in the image: every host generates its own at first boot and keeps them in its
# overlay upper dir, so a restart keeps them and deleting them there gives a new identity.
rm -f /etc/ssh/ssh_host_*
cat > /etc/systemd/system/fleet-ssh-hostkeys.service <<'UNIT'
[Unit]
Description=Generate missing SSH host keys (Bulwark test fleet)
Before=ssh.service ssh.socket

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A
RemainAfterExit=yes

[Install]
RequiredBy=ssh.service
WantedBy=multi-user.target
UNIT
systemctl enable fleet-ssh-hostkeys.service
systemctl enable systemd-networkd.service
# Quiet, deterministic hosts: no timers that would try the network or scrub disks.
systemctl disable apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
  fstrim.timer e2scrub_reap.service

# Identity is per host (written into each host's upper dir before its first boot).
: > /etc/machine-id
ln -sf /etc/machine-id /var/lib/dbus/machine-id
printf '# Bulwark test fleet: no DNS server is reachable from here\n' > /etc/resolv.conf
printf 'LANG=C.UTF-8\n' > /etc/default/locale
printf 'Etc/UTC\n' > /etc/timezone
ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime

# Users: root and admin (sudo WITH password, Debian's stock %sudo rule), both also reachable with
# the fleet's test key.
printf 'root:%s\n' "$ROOT_PW" | chpasswd
useradd -m -s /bin/bash -G sudo admin
printf 'admin:%s\n' "$ADMIN_PW" | chpasswd
for home in /root /home/admin; do
  install -d -m 700 "$home/.ssh"
  printf '%s\n' "$PUBKEY" > "$home/.ssh/authorized_keys"
  chmod 600 "$home/.ssh/authorized_keys"
done
chown -R admin:admin /home/admin/.ssh

# sshd as on a fresh Proxmox node: passwords and keys, root allowed, set in the main file.
sed -i -e 's/^#\?PermitRootLogin .*/PermitRootLogin yes/' \
       -e 's/^#\?PasswordAuthentication .*/PasswordAuthentication yes/' \
       -e 's/^#\?PubkeyAuthentication .*/PubkeyAuthentication yes/' /etc/ssh/sshd_config
grep -q '^PermitRootLogin yes' /etc/ssh/sshd_config
grep -q '^PasswordAuthentication yes' /etc/ssh/sshd_config

apt-get clean
rm -rf /var/lib/apt/lists/* /var/log/*.log /var/log/apt/* /var/cache/debconf/*-old
`;

export interface RootfsInfo {
  hash: string;
  /** The cache entry: rootfs/, id_ed25519(.pub), recipe.json, build.json. */
  dir: string;
  rootfs: string;
  privateKeyPath: string;
  publicKeyPath: string;
  publicKey: string;
  rootPassword: string;
  adminPassword: string;
  mirror: string;
  /** How long this cache entry took to build. */
  buildMs: number;
  /** True when this call built it. */
  builtNow: boolean;
  /** The local apt repository bind-mounted into every host (apt-repo.ts); absent when none. */
  aptRepo?: string;
}

interface BuildRecord {
  hash: string;
  mirror: string;
  builtAt: string;
  buildMs: number;
  debootstrapMs: number;
}

/** The Debian mirror this machine's apt uses (BULWARK_FLEET_MIRROR overrides). */
export function detectMirror(): string {
  const override = process.env.BULWARK_FLEET_MIRROR;
  if (override) return override;
  const found: string[] = [];
  const files = ['/etc/apt/sources.list'];
  try {
    for (const f of fs.readdirSync('/etc/apt/sources.list.d').sort()) files.push(`/etc/apt/sources.list.d/${f}`);
  } catch {
    // no sources.list.d
  }
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (file.endsWith('.sources')) {
      for (const para of text.split(/\n\s*\n/)) {
        const field = (name: string): string[] =>
          (new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(para)?.[1] ?? '').split(/\s+/).filter(Boolean);
        if (field('Enabled')[0] === 'no' || !field('Types').includes('deb') || !field('Suites').includes(SUITE)) continue;
        const uri = field('URIs')[0];
        if (uri) found.push(uri);
      }
    } else if (file.endsWith('.list')) {
      for (const line of text.split('\n')) {
        const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line.trim());
        if (m?.[1] && m[2] === SUITE) found.push(m[1]);
      }
    }
  }
  return found[0] ?? 'http://deb.debian.org/debian';
}

function recipe(mirror: string): Record<string, unknown> {
  return {
    version: RECIPE_VERSION,
    suite: SUITE,
    variant: 'minbase',
    packages: PACKAGES,
    mirror,
    customize: CUSTOMIZE,
    rootPassword: ROOT_PASSWORD,
    adminPassword: ADMIN_PASSWORD,
  };
}

export function recipeHash(mirror = detectMirror()): string {
  return createHash('sha256').update(JSON.stringify(recipe(mirror))).digest('hex').slice(0, 16);
}

function infoFor(dir: string, builtNow: boolean): RootfsInfo | null {
  let record: BuildRecord;
  try {
    record = JSON.parse(fs.readFileSync(path.join(dir, 'build.json'), 'utf8')) as BuildRecord;
  } catch {
    return null;
  }
  const privateKeyPath = path.join(dir, 'id_ed25519');
  const publicKeyPath = `${privateKeyPath}.pub`;
  if (!fs.existsSync(path.join(dir, 'rootfs', 'usr', 'sbin', 'sshd')) || !fs.existsSync(privateKeyPath)) return null;
  return {
    hash: record.hash,
    dir,
    rootfs: path.join(dir, 'rootfs'),
    privateKeyPath,
    publicKeyPath,
    publicKey: fs.readFileSync(publicKeyPath, 'utf8').trim(),
    rootPassword: ROOT_PASSWORD,
    adminPassword: ADMIN_PASSWORD,
    mirror: record.mirror,
    buildMs: record.buildMs,
    builtNow,
  };
}

/** The current recipe's cache entry if it is built, else null. Never builds. */
export function builtRootfs(): RootfsInfo | null {
  return infoFor(path.join(CACHE_ROOT, recipeHash()), false);
}

export function checkPrerequisites(): void {
  if (process.getuid?.() !== 0) throw new Error('the test fleet needs root (network namespaces, systemd-nspawn)');
  const missing = ['debootstrap', 'systemd-nspawn', 'ssh', 'ssh-keygen', 'ip', 'unshare'].filter((c) => !commandExists(c));
  if (missing.length > 0) {
    throw new Error(`the test fleet needs ${missing.join(', ')}: run bash tests/install-prereqs.sh`);
  }
}

export interface EnsureRootfsOptions {
  log?: (line: string) => void;
  /** Throw the cached entry away and build again (same hash). */
  rebuild?: boolean;
}

/** Returns the cached root file system for the current recipe, building it first if needed. */
export async function ensureRootfs(opts: EnsureRootfsOptions = {}): Promise<RootfsInfo> {
  checkPrerequisites();
  const mirror = detectMirror();
  const hash = recipeHash(mirror);
  const dir = path.join(CACHE_ROOT, hash);
  if (!opts.rebuild) {
    const ready = infoFor(dir, false);
    if (ready) return ready;
  }
  fs.mkdirSync(CACHE_ROOT, { recursive: true, mode: 0o700 });
  return withLock(path.join(CACHE_ROOT, '.build.lock'), 30 * 60_000, async () => {
    if (!opts.rebuild) {
      const ready = infoFor(dir, false); // built by someone else while we waited
      if (ready) return ready;
    }
    // Under the lock every temporary build directory is a crashed build's leftover.
    for (const entry of fs.readdirSync(CACHE_ROOT)) {
      if (entry.startsWith('.tmp-')) removeTree(path.join(CACHE_ROOT, entry));
    }
    const tmp = path.join(CACHE_ROOT, `.tmp-${hash}-${process.pid}`);
    try {
      const record = await build(tmp, hash, mirror, opts.log ?? (() => undefined));
      if (opts.rebuild) removeTree(dir);
      fs.renameSync(tmp, dir);
      opts.log?.(`rootfs ${hash} built in ${(record.buildMs / 1000).toFixed(1)} s`);
    } finally {
      removeTree(tmp);
    }
    const info = infoFor(dir, true);
    if (!info) throw new Error(`rootfs build in ${dir} is incomplete`);
    return info;
  });
}

async function build(tmp: string, hash: string, mirror: string, log: (line: string) => void): Promise<BuildRecord> {
  const started = Date.now();
  fs.mkdirSync(tmp, { mode: 0o700 });
  const key = path.join(tmp, 'id_ed25519');
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bulwark-test-fleet', '-f', key]);
  fs.chmodSync(key, 0o600);
  const publicKey = fs.readFileSync(`${key}.pub`, 'utf8').trim();

  const rootfs = path.join(tmp, 'rootfs');
  log(`debootstrap ${SUITE} from ${mirror} (about a minute) ...`);
  // In a private mount namespace: if we die mid-way, debootstrap's /proc and /sys mounts die too.
  // Downloaded .debs are kept (CACHE_ROOT/debs) so a recipe change rebuilds without downloading.
  const debs = path.join(CACHE_ROOT, 'debs');
  fs.mkdirSync(debs, { recursive: true });
  const deb = await run(
    'unshare',
    [
      '--mount', '--propagation', 'private',
      'debootstrap', '--variant=minbase', `--include=${PACKAGES.join(',')}`, `--cache-dir=${debs}`, SUITE, rootfs, mirror,
    ],
    { timeoutMs: 30 * 60_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C.UTF-8' } },
  );
  fs.writeFileSync(path.join(tmp, 'debootstrap.log'), deb.stdout + deb.stderr);
  if (deb.code !== 0) {
    throw new Error(`debootstrap failed (${deb.code ?? deb.signal}):\n${(deb.stdout + deb.stderr).split('\n').slice(-25).join('\n')}`);
  }
  const debootstrapMs = Date.now() - started;
  log(`debootstrap done in ${(debootstrapMs / 1000).toFixed(1)} s, customizing ...`);

  const script = path.join(tmp, 'customize.sh');
  fs.writeFileSync(script, CUSTOMIZE, { mode: 0o700 });
  const [, ...shArgs] = inCgroups(prepareMachineCgroups('bwf-build'), [
    'systemd-nspawn',
    '--quiet',
    `--directory=${rootfs}`,
    '--machine=bwf-build',
    '--register=no',
    '--keep-unit',
    '--private-network',
    '--resolv-conf=off',
    '--timezone=off',
    '--link-journal=no',
    `--bind-ro=${script}:/tmp/customize.sh`,
    '--',
    '/bin/sh',
    '/tmp/customize.sh',
    ROOT_PASSWORD,
    ADMIN_PASSWORD,
    publicKey,
  ]);
  try {
    await runOk('/bin/sh', shArgs, { timeoutMs: 5 * 60_000 });
  } finally {
    removeMachineCgroups('bwf-build');
  }
  fs.rmSync(script);
  const leftKeys = fs.readdirSync(path.join(rootfs, 'etc', 'ssh')).filter((f) => f.startsWith('ssh_host_'));
  if (leftKeys.length > 0) throw new Error(`host keys left in the image: ${leftKeys.join(', ')}`);

  const record: BuildRecord = { hash, mirror, builtAt: new Date().toISOString(), buildMs: Date.now() - started, debootstrapMs };
  fs.writeFileSync(path.join(tmp, 'recipe.json'), `${JSON.stringify(recipe(mirror), null, 2)}\n`);
  fs.writeFileSync(path.join(tmp, 'build.json'), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/** Cache entries of other recipes that no running host uses; removes them unless dryRun. */
export function pruneRootfsCache(inUse: ReadonlySet<string>, dryRun = false): string[] {
  const current = recipeHash();
  const removed: string[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(CACHE_ROOT);
  } catch {
    return removed;
  }
  for (const e of entries) {
    if (!/^[0-9a-f]{16}$/.test(e) || e === current || inUse.has(e)) continue;
    if (!dryRun) removeTree(path.join(CACHE_ROOT, e));
    removed.push(path.join(CACHE_ROOT, e));
  }
  return removed;
}
