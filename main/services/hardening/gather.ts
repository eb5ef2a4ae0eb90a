/**
 * Gathers a host's facts in one round trip: the facts script as root (through sudo unless the
 * login user is root) and, on the same connection at the same time, $SSH_CONNECTION as the
 * login user (sudo resets the environment, so it cannot be read inside the script).
 *
 * The root shell can then run a second script decided from those facts (planning, then
 * applying): the facts script ends by handing its stdin to a new `sh -s`, and the caller's
 * script is written only once the facts are read. One sudo instead of two per applied host
 * (each is a PAM password check, ~160 ms of host CPU).
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

export interface NextRun {
  /** What the next script printed (the facts are cut off). */
  stdout: string;
  /** Both scripts' stderr. */
  stderr: string;
  code: number | null;
}

export async function gatherFacts(engine: SshEngine, target: SshTarget, o: GatherOptions = {}): Promise<HostFacts> {
  return (await gatherFactsThen(engine, target, o, async () => null)).facts;
}

/**
 * Facts, then `next(facts)` in the same root shell: a script, or null for none (`next` is
 * null when there was nothing to run).
 */
export async function gatherFactsThen(
  engine: SshEngine,
  target: SshTarget,
  o: GatherOptions,
  next: (facts: HostFacts) => Promise<string | null>,
): Promise<{ facts: HostFacts; next: NextRun | null }> {
  const { script, marker } = factsScript();
  const end = `${marker} end-of-facts`;
  // One compound command: the shell parses all of it before printing the end marker, so it
  // cannot have read any of the next script (written only after the marker) into its buffer.
  const handOver = `{ printf '\\n%s\\n' '${end}'; exec sh -s; }\n`;
  const common = { timeoutMs: o.timeoutMs ?? 60_000, ...(o.signal ? { signal: o.signal } : {}) };
  const connP = engine.exec(target, 'printf "%s" "${SSH_CONNECTION:-}"', common);
  // awaited in the reply or below; a failure must not become an unhandled rejection meanwhile
  connP.catch(() => undefined);
  let facts: HostFacts | null = null;
  let ran = false;
  const run = await engine.sudo(target, 'sh -s', {
    ...common,
    stdin: `${script}\n${handOver}`,
    ...(o.sudoPassword ? { password: o.sudoPassword } : {}),
    reply: {
      after: end,
      write: async (soFar) => {
        facts = parseFacts(soFar.toString('utf8'), marker, (await connP).stdout);
        const more = await next(facts);
        ran = more !== null;
        return more;
      },
    },
  });
  await connP;
  const at = run.stdout.indexOf(end);
  if (!facts || at < 0 || (!ran && run.code !== 0)) {
    const why = run.stderr.trim().split('\n').slice(-3).join(' | ') || `exit status ${String(run.code)}`;
    throw new BulwarkError('INTERNAL', `Gathering facts on ${target.name ?? target.host} failed: ${why}`);
  }
  return { facts, next: ran ? { stdout: run.stdout.slice(at + end.length + 1), stderr: run.stderr, code: run.code } : null };
}
