/**
 * `bulwark ssh ...`: SSH host keys. `ssh trust` is the explicit, non-interactive trust: it shows
 * the fingerprint it pins, and never replaces a different pinned key without --replace.
 */
import type { Command } from 'commander';
import type { Host } from '../../../shared/domain/host';
import { isBulwarkError } from '../../../shared/errors';
import type { Run } from '../command';
import { CliError, usageError } from '../errors';
import { type ExitCode, ExitCode as Codes, exitCodeFor } from '../exit-codes';
import { printable } from '../output';
import { parseSeconds } from '../options';
import type { SshEngine } from '../../services/ssh';
import { registerSshExec } from './ssh-exec';

export type TrustStatus = 'trusted' | 'already-trusted' | 'changed' | 'failed';

export interface TrustResult {
  host: string;
  fingerprint: string | null;
  keyType: string | null;
  status: TrustStatus;
  error?: string;
}

const DEFAULT_TIMEOUT_S = 20;

export function registerSshCommands(program: Command, run: Run): void {
  const ssh = program.command('ssh').description('SSH host keys, and commands on inventory hosts');

  run(
    ssh
      .command('trust')
      .description("fetch and pin inventory hosts' SSH host keys (the non-interactive trust-on-first-use)")
      .argument('<HOST...>', 'inventory host names')
      .option('--replace', 'replace a different key already pinned for the host (after checking it out of band)')
      .option('--timeout <S>', `seconds to wait for each host (default ${DEFAULT_TIMEOUT_S})`),
    async (ctx, opts, names) => {
      const timeout = opts.timeout === undefined ? DEFAULT_TIMEOUT_S : parseSeconds(opts.timeout, '--timeout');
      if (names.some((n) => n.includes(','))) throw usageError('separate host names with spaces, not commas');
      const replace = opts.replace === true;
      const results: TrustResult[] = [];
      const codes: ExitCode[] = [];
      await ctx.withUnlocked(
        async (h) => {
          const hosts = inOrder(names, h.hosts.select({ names }));
          // The vault's engine: a probe authenticates only to jump hosts (their login key or every
          // vault key, then $SSH_AUTH_SOCK), never to the host being probed.
          const engine = h.access.engine();
          for (const host of hosts) {
            const r = await trustOne(engine, host, replace);
            results.push(r.result);
            if (r.code !== undefined) codes.push(r.code);
            if (!ctx.out.json) {
              const line = [host.name, r.result.keyType ?? '-', r.result.fingerprint ?? '-', label(r.result.status)].map((s) => printable(s));
              ctx.out.text(line.join('  '));
            }
            if (r.result.error) ctx.out.note(`bulwark: ${printable(host.name)}: ${printable(r.result.error)}`);
          }
        },
        { ssh: { readyTimeoutMs: timeout * 1000 } },
      );
      if (ctx.out.json) ctx.out.data(results);
      if (codes.length) {
        const failed = results.filter((r) => r.status === 'failed' || r.status === 'changed').length;
        const code = codes.every((c) => c === codes[0]) ? codes[0]! : Codes.FAILURE;
        throw new CliError(code, `${failed} of ${results.length} host${results.length === 1 ? '' : 's'} not trusted`);
      }
    },
  );

  registerSshExec(ssh, run);
}

async function trustOne(engine: SshEngine, host: Host, replace: boolean): Promise<{ result: TrustResult; code?: ExitCode }> {
  let probe;
  try {
    probe = await engine.probeHostKey(host.address, host.port, { user: host.user, ...(host.jumpHost ? { jump: host.jumpHost } : {}) });
  } catch (e) {
    return failure(host, null, e);
  }
  const seen = { host: host.name, fingerprint: probe.fingerprint, keyType: probe.keyType };
  if (probe.status === 'trusted') return { result: { ...seen, status: 'already-trusted' } };
  try {
    engine.trust(probe.host, probe.port, probe.key, { replace });
    return { result: { ...seen, status: 'trusted' } };
  } catch (e) {
    if (isBulwarkError(e) && e.code === 'HOST_KEY_CHANGED') {
      const old = probe.pinned.map((p) => `${p.keyType} ${p.fingerprint}`).join(', ');
      const message =
        `HOST KEY CHANGED for ${host.name} (${probe.host}:${probe.port}): pinned ${old}, presented ${probe.keyType} ${probe.fingerprint}. ` +
        'This can be a reinstalled host or a man-in-the-middle; check the new fingerprint out of band, then run again with --replace.';
      return { result: { ...seen, status: 'changed', error: message }, code: exitCodeFor('HOST_KEY_CHANGED') };
    }
    return failure(host, probe, e);
  }
}

function failure(host: Host, probe: { fingerprint: string; keyType: string } | null, e: unknown): { result: TrustResult; code: ExitCode } {
  const result: TrustResult = {
    host: host.name,
    fingerprint: probe?.fingerprint ?? null,
    keyType: probe?.keyType ?? null,
    status: 'failed',
    error: e instanceof Error ? e.message : String(e),
  };
  return { result, code: isBulwarkError(e) ? exitCodeFor(e.code) : Codes.FAILURE };
}

function label(status: TrustStatus): string {
  switch (status) {
    case 'trusted':
      return 'trusted (pinned)';
    case 'already-trusted':
      return 'already trusted';
    case 'changed':
      return 'CHANGED (not pinned)';
    case 'failed':
      return 'failed';
  }
}

/** The selected hosts in the order they were named (select() sorts by name). */
function inOrder(names: readonly string[], hosts: readonly Host[]): Host[] {
  const byName = new Map(hosts.map((h) => [h.name.toLowerCase(), h]));
  const out: Host[] = [];
  for (const n of names) {
    const h = byName.get(n.trim().toLowerCase());
    if (h && !out.includes(h)) out.push(h);
  }
  return out;
}
