/**
 * Gathers a host's facts in one round trip: the facts script as root (through sudo unless the
 * login user is root) and, on the same connection at the same time, $SSH_CONNECTION as the
 * login user (sudo resets the environment, so it cannot be read inside the script).
 */
import { BulwarkError } from '../../../shared/errors';
import type { SshEngine, SshTarget } from '../ssh';
import { factsScript } from './facts-script';
import { type HostFacts, parseFacts } from './facts';

export interface GatherOptions {
  sudoPassword?: string | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
}

export async function gatherFacts(engine: SshEngine, target: SshTarget, o: GatherOptions = {}): Promise<HostFacts> {
  const { script, marker } = factsScript();
  const common = { timeoutMs: o.timeoutMs ?? 60_000, ...(o.signal ? { signal: o.signal } : {}) };
  const [conn, run] = await Promise.all([
    engine.exec(target, 'printf "%s" "${SSH_CONNECTION:-}"', common),
    engine.sudo(target, 'sh -s', { ...common, stdin: script, ...(o.sudoPassword ? { password: o.sudoPassword } : {}) }),
  ]);
  if (run.code !== 0 || !run.stdout.includes(marker)) {
    const why = run.stderr.trim().split('\n').slice(-3).join(' | ') || `exit status ${String(run.code)}`;
    throw new BulwarkError('INTERNAL', `Gathering facts on ${target.name ?? target.host} failed: ${why}`);
  }
  return parseFacts(run.stdout, marker, conn.stdout);
}
