/**
 * A local apt repository for the fleet: the hosts have no network, yet controls that install a
 * package (unattended-upgrades) must really run `apt-get install` there. The .debs of APT_PACKAGES
 * and of every dependency the rootfs lacks are downloaded on this machine (`apt-get download`,
 * kept in CACHE_ROOT/debs beside debootstrap's), indexed as a flat repository (dpkg-scanpackages)
 * in CACHE_ROOT/apt-<hash>/, and bind-mounted read-only into every host at /srv/bulwark-apt with
 * the source `deb [trusted=yes] file:/srv/bulwark-apt ./`.
 *
 * The repo has its own cache key (the package list and the rootfs hash), so the rootfs recipe
 * and its hash stay as they are. No repo (no network here, no dpkg-dev): the fleet boots without
 * one, and a test that needs it says so.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { commandExists, run, runOk } from './exec';
import { CACHE_ROOT, removeTree, withLock } from './fsutil';
import type { RootfsInfo } from './rootfs';

export const APT_PACKAGES = ['unattended-upgrades'] as const;
export const APT_REPO_MOUNT = '/srv/bulwark-apt';
export const APT_SOURCE = `deb [trusted=yes] file:${APT_REPO_MOUNT} ./\n`;

/** Names dpkg lists as installed in the rootfs. */
function installedIn(rootfs: string): Set<string> {
  const status = fs.readFileSync(path.join(rootfs, 'var/lib/dpkg/status'), 'utf8');
  const out = new Set<string>();
  for (const para of status.split(/\n\n+/)) {
    const name = /^Package: (\S+)$/m.exec(para)?.[1];
    if (name && /^Status: .* installed$/m.test(para)) out.add(name);
  }
  return out;
}

/** The package and everything it needs, as this machine's apt resolves it (alternatives included). */
async function closure(pkgs: readonly string[]): Promise<string[]> {
  const out = await runOk('apt-cache', ['depends', '--recurse', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...pkgs]);
  // top-level lines are package names; "<name>" is virtual, "name:arch" another architecture
  return [...new Set(out.split('\n').filter((l) => /^[a-z0-9][a-z0-9+.-]+$/.test(l)))].sort();
}

function repoHash(rootfsHash: string): string {
  return createHash('sha256').update(JSON.stringify({ v: 1, packages: APT_PACKAGES, rootfs: rootfsHash })).digest('hex').slice(0, 16);
}

/** The repository directory for this rootfs, built if needed; null when it cannot be built here. */
export async function ensureAptRepo(rootfs: RootfsInfo, log: (l: string) => void = () => undefined): Promise<string | null> {
  const dir = path.join(CACHE_ROOT, `apt-${repoHash(rootfs.hash)}`);
  if (fs.existsSync(path.join(dir, 'Packages'))) return dir;
  if (!commandExists('dpkg-scanpackages') || !commandExists('apt-get')) {
    log('no local apt repo for the fleet: dpkg-scanpackages (dpkg-dev) is missing');
    return null;
  }
  return withLock(path.join(CACHE_ROOT, '.apt-repo.lock'), 10 * 60_000, async () => {
    if (fs.existsSync(path.join(dir, 'Packages'))) return dir;
    const started = Date.now();
    const have = installedIn(rootfs.rootfs);
    const wanted = (await closure(APT_PACKAGES)).filter((p) => !have.has(p));
    const debs = path.join(CACHE_ROOT, 'debs');
    fs.mkdirSync(debs, { recursive: true });
    const cached = (p: string) => fs.readdirSync(debs).find((f) => f.startsWith(`${p}_`) && f.endsWith('.deb'));
    const missing = wanted.filter((p) => !cached(p));
    if (missing.length) {
      log(`apt repo: downloading ${missing.length} .debs (${missing.join(' ')})`);
      const r = await run('apt-get', ['download', '-q', ...missing], { cwd: debs, timeoutMs: 10 * 60_000 });
      if (r.code !== 0) {
        log(`no local apt repo for the fleet: apt-get download failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
        return null;
      }
    }
    const tmp = `${dir}.tmp-${process.pid}`;
    removeTree(tmp);
    fs.mkdirSync(tmp, { recursive: true, mode: 0o755 });
    try {
      for (const p of wanted) {
        const f = cached(p);
        if (f) fs.copyFileSync(path.join(debs, f), path.join(tmp, f));
      }
      const index = await runOk('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: tmp });
      fs.writeFileSync(path.join(tmp, 'Packages'), index, { mode: 0o644 });
      fs.renameSync(tmp, dir);
    } finally {
      removeTree(tmp);
    }
    log(`apt repo with ${wanted.length} packages built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dir}`);
    return dir;
  });
}
