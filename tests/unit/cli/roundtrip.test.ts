/**
 * THE round trip: 10,000 varied hosts -> `hosts export-ansible FILE` -> `hosts import-ansible
 * FILE` into a fresh vault -> `hosts list --json` equal field by field (ids and timestamps aside).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInput } from '../../../shared/domain/host';
import { openVault } from '../../../main/cli/services';
import { Cli, PASSPHRASE } from './harness';
import { rng } from '../inventory/generate-hosts';

const COUNT = 10_000;

const TAG_POOL = ['web', 'db', 'pve', 'all', 'ungrouped', 'a+b', 'x.y', '_u', 'k8s-node', '1234', 'yes', 'no', 'null', 'true', '010', 'prod', 'lab.2'];
const NOTES = [
  '',
  'plain note',
  'multi\nline\nnote',
  'trailing newline\n',
  '  leading and trailing spaces  ',
  'tab\tseparated',
  'Café ✓ 日本語 🚀',
  'yes',
  'no',
  '~',
  'null',
  '010',
  '1:20',
  '0x1F',
  '1e3',
  '- looks like a list item',
  '# looks like a comment',
  'key: value',
  "it's 'quoted'",
  'say "hi"',
  'back\\slash',
  '{flow: map}',
  '[flow, seq]',
  '&anchor *alias !tag %percent @at `tick`',
  '|',
  '>',
  '---',
  '...',
  'windows\r\nline',
  '{{ jinja }}',
  'x'.repeat(10_000),
];
const USERS = ['root', 'admin', '_svc', 'user.name-1', 'a'.repeat(32), 'Deploy', 'yes', 'null'];

function host(i: number, r: () => number): HostInput {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const hex = (n: number) => n.toString(16);
  const names = [`host-${i}`, `Web_${i}.lan`, `db.${i}`, `_svc${i}`, `N${i}-x`, `${i}`, `yes${i}`, `h${i}.example.com`];
  const name = names[i % names.length]!;
  const addresses = [
    `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    `fd00::${hex(i)}`,
    `2001:db8:0:0:0:0:1:${hex(i)}`,
    `fe80::${hex(i)}%eth0`,
    `::ffff:192.0.2.${i % 256}`,
    `n${i}.Example.COM`,
    `n${i}.lan.`,
    `h-${i}`,
  ];
  const jumps = [
    '',
    '',
    `host-${Math.max(0, i - 8 - (i % 8))}`,
    `ops@bastion${i % 3}.example.com:2222`,
    'a,b@c:22',
    '[fd00::1]:22',
    'jump@[2001:db8::5]',
    'not-in-inventory',
    `user@10.0.0.${i % 250}`,
  ];
  const tagCount = Math.floor(r() * 4);
  const tags = Array.from({ length: tagCount }, () => pick(TAG_POOL));
  const input: HostInput = {
    name,
    address: pick(addresses),
    port: pick([22, 22, 2222, 1, 65535, 1 + Math.floor(r() * 65535)]),
    user: pick(USERS),
    jumpHost: pick(jumps),
    tags,
    notes: pick(NOTES),
    guest: r() < 0.3 ? { nodeId: pick(['pve1', 'node-x', 'yes', '010']), vmid: 100 + Math.floor(r() * 999_999_899) } : null,
  };
  return input;
}

function fields(list: Record<string, unknown>[]): Record<string, unknown>[] {
  return list
    .map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => rest)
    .sort((a, b) => ((a.name as string).toLowerCase() < (b.name as string).toLowerCase() ? -1 : 1));
}

describe('10,000 hosts: export-ansible -> import-ansible', () => {
  const source = new Cli();
  const target = new Cli();

  beforeAll(async () => {
    await source.init();
    await target.init();
    const r = rng(20240601);
    const entries = Array.from({ length: COUNT }, (_, i) => ({ input: host(i, r), source: `generated ${i}` }));
    const h = openVault(source.vault, { BULWARK_TEST_KDF: 'fast', NODE_ENV: 'test' });
    try {
      h.vault.unlock(PASSPHRASE);
      const report = h.hosts.upsertMany(entries);
      expect(report.skipped).toEqual([]);
      expect(report.added).toHaveLength(COUNT);
    } finally {
      await h.close();
    }
  }, 120_000);

  afterAll(() => {
    source.cleanup();
    target.cleanup();
  });

  it('arrives equal field by field', async () => {
    const before = await source.hosts();
    expect(before).toHaveLength(COUNT);

    const file = `${source.dir}/inventory.yml`;
    const exported = await source.run(['hosts', 'export-ansible', file]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(`Wrote ${COUNT} hosts to ${file}\n`);

    const imported = await target.run(['--json', 'hosts', 'import-ansible', file]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout) as { added: string[]; updated: string[]; skipped: unknown[] };
    expect(report.skipped).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(report.added).toHaveLength(COUNT);

    const after = await target.hosts();
    expect(fields(after)).toEqual(fields(before));

    // and once more: re-importing the same file changes nothing
    const again = JSON.parse(await target.ok(['--json', 'hosts', 'import-ansible', file])) as { added: string[]; updated: string[] };
    expect(again.added).toEqual([]);
    expect(again.updated).toEqual([]);
  }, 120_000);
});
