/**
 * `npm run bench`: runs every benchmark one after another (never in parallel: they would
 * measure each other) and prints their markdown tables for docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

const BENCHES = ['bench/vault/run.ts', 'bench/search/run.ts', 'bench/ipc/run.ts'];

console.log(`# ${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
for (const bench of BENCHES) {
  execFileSync(process.execPath, ['--import', 'tsx', bench], { stdio: 'inherit' });
}
