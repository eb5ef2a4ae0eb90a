// Digests exactly as pve-firewall computes them (PVE::Firewall::copy_opject_with_digest /
// copy_list_with_digest): SHA-1 over "key:value\n" of the sorted keys of one section, so each
// section (options, rules, one ipset) has its own digest rather than one per cluster.fw file.
import { createHash } from 'node:crypto';

type Flat = Record<string, string | number | undefined>;

function addObject(sha: ReturnType<typeof createHash>, object: Flat): void {
  for (const key of Object.keys(object).sort()) {
    const value = object[key];
    if (value === undefined) continue;
    sha.update(`${key}:${value}\n`, 'utf8');
  }
}

export function objectDigest(object: Flat): string {
  const sha = createHash('sha1');
  addObject(sha, object);
  return sha.digest('hex');
}

export function listDigest(list: readonly object[]): string {
  const sha = createHash('sha1');
  for (const entry of list) addObject(sha, entry as Flat);
  return sha.digest('hex');
}
