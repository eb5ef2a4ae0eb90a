/**
 * Run history in a real vault: records round-trip encrypted (nothing of them in the file in
 * plain text), list is newest first, get/require, pruning to the newest N, and survival across
 * lock and unlock.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/domain/hardening';
import Database from 'better-sqlite3';
import { ENTRY_KIND, KEEP_RUNS, RUN_KIND, RunHistory, scoreOf } from '../../../main/services/hardening/history';
import { expectCode } from '../../helpers/expect-error';
import { PASSPHRASE } from '../inventory/helpers';
import { type OpenVault, openVault } from '../inventory/vault-fixture';

let v: OpenVault | undefined;
afterEach(() => {
  v?.close();
  v = undefined;
});

function record(id: string, startedAt: number, host = 'web-1'): RunRecord {
  return {
    id,
    mode: 'apply',
    profileId: 'guide-baseline',
    who: 'alice',
    via: 'cli',
    startedAt,
    finishedAt: startedAt + 1500,
    options: { canary: 1 },
    cancelled: false,
    results: [
      {
        host,
        hostId: 'h1',
        status: 'applied',
        controls: [
          { id: 'sshd-auth', title: 'SSH authentication', status: 'drift', evidence: ['sshd -T: passwordauthentication yes (want no)'], notes: [] },
          { id: 'exposure', title: 'Exposure', status: 'not-applicable', evidence: [], notes: [] },
        ],
        after: [{ id: 'sshd-auth', title: 'SSH authentication', status: 'compliant', evidence: ['sshd -T: passwordauthentication no'], notes: [] }],
        files: [{ path: '/etc/ssh/sshd_config.d/00-bulwark.conf', diff: '--- /dev/null\n+++ b/etc/ssh/sshd_config.d/00-bulwark.conf\n+PasswordAuthentication no\n' }],
        commands: ['systemctl reload ssh'],
        cutsAccess: true,
        score: { compliant: 1, applicable: 1 },
        durationMs: 1400,
        timings: { plan: 700, apply: 300, verify: 400 },
      },
    ],
    summary: { total: 1, byStatus: { applied: 1 }, failed: 0 },
  };
}

describe('RunHistory', () => {
  it('stores a run encrypted and gives it back whole; the vault file never holds it in plain text', () => {
    v = openVault();
    const h = new RunHistory(v.vault);
    const r = record('20261126-010203-abcdef', 1_000, 'secret-host-name-xyz');
    h.record(r);
    expect(h.get(r.id)).toEqual(r);
    expect(h.list()).toEqual([
      { id: r.id, mode: 'apply', profileId: 'guide-baseline', who: 'alice', via: 'cli', startedAt: 1_000, finishedAt: 2_500, cancelled: false, hosts: ['secret-host-name-xyz'], summary: r.summary },
    ]);
    v.vault.lock('user');
    const file = readFileSync(v.path);
    for (const needle of ['secret-host-name-xyz', 'PasswordAuthentication', 'guide-baseline', 'alice']) expect(file.includes(needle)).toBe(false);
    v.vault.unlock(PASSPHRASE);
    expect(new RunHistory(v.vault).get(r.id)).toEqual(r);
  });

  it('lists newest first and require() names the way to list runs for an unknown id', () => {
    v = openVault();
    const h = new RunHistory(v.vault);
    h.record(record('b', 2_000));
    h.record(record('a', 3_000));
    h.record(record('c', 1_000));
    expect(h.list().map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(h.get('nope')).toBeUndefined();
    expectCode(() => h.require('nope'), 'NOT_FOUND', /bulwark runs list/);
  });

  it('keeps only the newest runs: recording past the limit prunes the oldest', () => {
    v = openVault();
    const h = new RunHistory(v.vault, 3);
    for (let i = 1; i <= 5; i++) h.record(record(`run-${i}`, i * 1000));
    expect(h.list().map((x) => x.id)).toEqual(['run-5', 'run-4', 'run-3']);
    expect(v.vault.ids(RUN_KIND)).toHaveLength(3);
    expect(v.vault.ids(ENTRY_KIND)).toHaveLength(3);
    expect(h.prune(1)).toBe(2);
    expect(v.vault.ids(ENTRY_KIND)).toEqual(['run-5']);
    expect(h.list().map((x) => x.id)).toEqual(['run-5']);
    expect(KEEP_RUNS).toBe(500);
  });

  it('lists and prunes from the small entries alone: a run is decrypted only when it is read', () => {
    v = openVault();
    const h = new RunHistory(v.vault, 2);
    h.record(record('run-1', 1_000));
    h.record(record('run-2', 2_000));
    v.vault.lock('user');
    // damage run-1's ciphertext on disk: whatever decrypts it now fails authentication
    const db = new Database(v.path);
    db.prepare("UPDATE records SET data = substr(data, 1, length(data) - 4) || x'00000000' WHERE kind = ? AND id = 'run-1'").run(RUN_KIND);
    db.close();
    v.vault.unlock(PASSPHRASE);
    const again = new RunHistory(v.vault, 2);
    expect(again.list().map((x) => x.id)).toEqual(['run-2', 'run-1']);
    expect(again.get('run-2')?.id).toBe('run-2');
    expectCode(() => again.get('run-1'), 'VAULT_TAMPERED');
    again.record(record('run-3', 3_000)); // prunes run-1 without reading it
    expect(again.list().map((x) => x.id)).toEqual(['run-3', 'run-2']);
  });

  it('gives runs stored before list entries existed their entry on the first list', () => {
    v = openVault();
    const old = record('run-old', 500);
    v.vault.put(RUN_KIND, old.id, old);
    const h = new RunHistory(v.vault);
    h.record(record('run-new', 1_000));
    expect(h.list().map((x) => x.id)).toEqual(['run-new', 'run-old']);
    expect(v.vault.ids(ENTRY_KIND).sort()).toEqual(['run-new', 'run-old']);
  });

  it('scores compliant controls out of applicable ones', () => {
    const c = (status: 'compliant' | 'drift' | 'unknown' | 'not-applicable') => ({ id: status, title: status, status, evidence: [], notes: [] });
    expect(scoreOf([c('compliant'), c('drift'), c('unknown'), c('not-applicable')])).toEqual({ compliant: 1, applicable: 3 });
    expect(scoreOf([])).toEqual({ compliant: 0, applicable: 0 });
  });
});
