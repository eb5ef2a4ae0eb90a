/**
 * Runs a contender as a child process under GNU time, which reports the child's peak RSS
 * (`%M`, KiB) to a file of its own, so the child's stdout stays clean JSON.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, process start-up included. */
  wallMs: number;
  /** Peak resident set of the child (the largest of it and its waited-for descendants), KiB. */
  maxRssKiB: number;
}

export function runMeasured(cmd: string, args: string[], o: { dir: string; env?: NodeJS.ProcessEnv }): Promise<ChildRun> {
  const rssFile = join(o.dir, `rss-${String(process.hrtime.bigint())}`);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args], { env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      let maxRssKiB = NaN;
      try {
        // GNU time writes "Command exited with non-zero status N" first when the command failed
        maxRssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
        rmSync(rssFile, { force: true });
      } catch {
        // no file: time itself failed; the caller sees the exit code
      }
      resolve({ code, stdout, stderr, wallMs, maxRssKiB });
    });
  });
}
