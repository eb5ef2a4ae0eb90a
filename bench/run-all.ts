/**
 * `npm run bench`: runs every benchmark one after another (never in parallel: they would
 * measure each other) and prints their markdown tables for docs/benchmarks.md.
 *
 * `npm run bench -- push` (or `keys`, `logs`, `logs-ui`) runs the named benches only. Those boot real
 * hosts (tests/fleet: root, minutes) and run only when named.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

const BENCHES = ['bench/vault/run.ts', 'bench/search/run.ts', 'bench/ipc/run.ts', 'bench/parse/run.ts'];
const NAMED: Record<string, string> = {
  vault: 'bench/vault/run.ts',
  search: 'bench/search/run.ts',
  ipc: 'bench/ipc/run.ts',
  parse: 'bench/parse/run.ts',
  keys: 'bench/keys/run.ts',
  push: 'bench/push/run.ts',
  logs: 'bench/logs/run.ts',
  'logs-ui': 'bench/logs/ui.ts',
  'pve-sync': 'bench/pve-sync/run.ts',
};

const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !(n in NAMED));
if (unknown.length) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(NAMED).join(', ')})`);
  process.exit(2);
}

console.log(`# ${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
for (const bench of asked.length ? asked.map((n) => NAMED[n]!) : BENCHES) {
  execFileSync(process.execPath, ['--import', 'tsx', bench], { stdio: 'inherit' });
}
