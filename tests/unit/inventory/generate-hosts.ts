/**
 * Deterministic, deliberately awkward host inputs for round-trip tests and the search bench:
 * YAML-ambiguous names (yes, 010, 1e3), IPv6 with zones and embedded IPv4, jump chains,
 * notes with quotes, unicode, control characters, CRLF and YAML syntax, many tags.
 */
import type { HostInput } from '../../../shared/domain/host';

export function rng(seed: number): () => number {
  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AWKWARD_NAMES = ['yes', 'No', 'on', 'null', 'true', '010', '1e3', '0x1F', '1_000', '_svc', 'y', 'n', '12', 'inf', 'nan', 'Null_'];
const AWKWARD_TAGS = ['all', 'ungrouped', 'yes', '010', '1e3', 'a+b', 'x.y-z', '_t', 'prod', 'web', 'db', 'null', 'on', 'k8s'];
const USERS = ['root', 'admin', 'deploy', 'yes', 'null', '_svc', 'a.b-c', 'Ops', 'n', 'ubuntu', 'x'.repeat(32)];
const NOTE_BITS = [
  'Primary database — do not reboot during business hours',
  'He said "hello" and \'goodbye\'',
  'ünïcödé ✓ 日本語 עברית 🎉🚀',
  'key: value',
  '- list item',
  '# not a comment',
  '---',
  '...',
  '  leading spaces',
  'trailing spaces  ',
  'tab\there',
  'back\\slash \\n literal',
  'bell\x07 del\x7f nel\x85 ls\u2028 ps\u2029 bom\ufeff',
  'crlf\r\nline',
  '{{ not jinja for us }}',
  '%YAML 1.1',
  '&anchor *alias !tag',
  '|literal >folded',
  'null',
  '',
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function address(r: () => number, i: number): string {
  switch (i % 7) {
    case 0:
      return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    case 1:
      return `2001:db8:${(i & 0xffff).toString(16)}::${(i % 97).toString(16)}`;
    case 2:
      return `fe80::${(i % 4096).toString(16)}%eth${i % 3}`;
    case 3:
      return `::ffff:192.0.2.${i % 256}`;
    case 4:
      return `host-${i}.example.net`;
    case 5:
      return `h${i}.lab.example.`;
    default:
      return pick(r, ['1:2:3:4:5:6:7:8', '::1', 'localhost', '192.168.1.1']);
  }
}

function jump(r: () => number, i: number): string {
  switch (i % 6) {
    case 0:
      return '';
    case 1:
      return 'bastion';
    case 2:
      return 'ops@gw.example.net:2222';
    case 3:
      return `admin@[2001:db8::${(i % 255).toString(16)}]:22,ops@10.0.0.${i % 255}`;
    case 4:
      return `host-${(i + 1) % 1000},yes@jump.example.net`;
    default:
      return r() < 0.5 ? '' : 'a@b.example.net:1,c@d.example.net:2,e@10.1.1.1:65535';
  }
}

function notes(r: () => number, i: number): string {
  if (i % 5 === 0) return '';
  const n = 1 + Math.floor(r() * 6);
  const parts = Array.from({ length: n }, () => pick(r, NOTE_BITS));
  let s = parts.join(pick(r, ['\n', '\n\n', ' ', '\r\n']));
  if (i % 11 === 0) s = `\n${s}\n`;
  if (i % 13 === 0) s += '\n\n';
  if (i % 997 === 0) s = 'x'.repeat(9_000) + '\n' + s.slice(0, 900); // near the 10,000 limit
  if (i === 4242) s = 'lone surrogate \ud800 here';
  return s.slice(0, 10_000);
}

export function generateHosts(count: number, seed = 42): HostInput[] {
  const r = rng(seed);
  const out: HostInput[] = [];
  for (let i = 0; i < count; i++) {
    const name = i < AWKWARD_NAMES.length ? AWKWARD_NAMES[i]! : `${pick(r, ['web', 'db', 'Pve', 'node', '_int', '0'])}-${i}`;
    const tagCount = i % 50 === 0 ? 64 : Math.floor(r() * 6);
    const tags = new Set<string>();
    for (let t = 0; t < tagCount; t++) tags.add(t < 40 && i % 50 === 0 ? `t${t}` : r() < 0.3 ? pick(r, AWKWARD_TAGS) : `g${Math.floor(r() * 200)}`);
    out.push({
      name,
      address: address(r, i),
      port: 1 + Math.floor(r() * 65535),
      user: pick(r, USERS),
      jumpHost: jump(r, i),
      tags: [...tags].slice(0, 64),
      notes: notes(r, i),
      guest:
        i % 4 === 0
          ? { nodeId: pick(r, ['pve1', 'pve-2', 'yes', '010', 'node with space', 'ノード']), vmid: 100 + Math.floor(r() * 999_999_899) }
          : null,
    });
  }
  return out;
}
