import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../main/services/vault';
import { FAST_KDF, PASS, SLOW, removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);

const REPO = resolve(__dirname, '../../..');
const CHILD = join(__dirname, 'crash-child.ts');

/** Runs the writer until it has acknowledged `acks` records, then SIGKILLs it. */
function runAndKill(path: string, first: number, acks: number): Promise<{ acked: string[]; signal: string | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, PASS, String(first)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let buf = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop()!; // an unterminated line was not fully acknowledged
      for (const l of lines) if (l.startsWith('rec-')) acked.push(l);
      if (!killed && acked.length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolvePromise({ acked, signal, stderr }));
  });
}

describe('crash safety', SLOW, () => {
  it('every acknowledged record survives a SIGKILL mid-write, and the vault still unlocks', async () => {
    const path = join(tempDir(), 'crash', 'vault.db');
    const v = new Vault({ path, kdf: FAST_KDF });
    v.create(PASS);
    v.close();

    const all: string[] = [];
    let next = 0;
    for (const acks of [150, 400, 90]) {
      const { acked, signal, stderr } = await runAndKill(path, next, acks);
      expect(signal, stderr).toBe('SIGKILL');
      expect(acked.length).toBeGreaterThanOrEqual(acks);
      all.push(...acked);
      // the next writer starts beyond anything the killed one may have committed unacknowledged
      next += acked.length + 1000;
      // the kill left a WAL behind: this really is recovery after a crash, not a clean reopen
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);

      const r = new Vault({ path });
      r.unlock(PASS); // opens after the crash: WAL recovery, header checks, MAC
      const ids = new Set(r.list<{ i: number }>('crash').map((x) => `rec-${x.i}`));
      for (const id of all) {
        expect(ids.has(id), `${id} was acknowledged but is missing`).toBe(true);
        expect(r.get('crash', id)).toMatchObject({ i: Number(id.slice(4)) });
        expect(r.get('crash-aux', `${id}-a`)).toBeDefined(); // same transaction, so present too
      }
      expect(r.verify().records).toBeGreaterThanOrEqual(all.length);
      r.close();
    }
  });
});
