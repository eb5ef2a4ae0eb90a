/**
 * `bulwark logs tail|query`: the live view's stream and history for scripts. `tail` follows the
 * selected hosts (stored in the vault like the app does) and prints one event per line (with
 * --json one JSON object per line, the LogEvent shape plus `at`, the receive time in ms) until
 * Ctrl-C, --count events or --for seconds; stream states go to stderr. `query` searches the
 * stored history, newest first.
 */
import type { Command } from 'commander';
import { LOG_EVENT_KINDS, type LogEventKind } from '../../../shared/domain/logs';
import type { StoredEvent } from '../../services/logs/event-store';
import { LogsService } from '../../services/logs/logs-service';
import type { HostStreamStatus } from '../../services/logs/collector';
import type { Run } from '../command';
import { usageError } from '../errors';
import { withInterrupt } from '../interrupt';
import { parseSeconds, requireSelection } from '../options';
import { printable } from '../output';
import { parseNameList, selectHosts } from '../select';

function eventLine(e: StoredEvent): string {
  const when = new Date(e.at).toISOString().replace('T', ' ').slice(0, 19);
  const who = [e.ip && `ip=${e.ip}`, e.user !== null && `user=${JSON.stringify(e.user)}`, e.jail && `jail=${e.jail}`].filter(Boolean).join(' ');
  return printable(`${when}  ${e.host}  ${e.kind}${who ? `  ${who}` : ''}  | ${e.raw}`);
}

function statusLine(s: HostStreamStatus): string {
  const st = s.state;
  const what =
    st.state === 'streaming' ? `streaming ${st.sources.join(' + ')}`
    : st.state === 'reconnecting' ? `reconnecting in ${(st.retryInMs / 1000).toFixed(1)} s (attempt ${st.attempt}): ${st.reason}`
    : st.state === 'error' ? `error: ${st.reason}`
    : st.state;
  return printable(`${s.host}: ${what}${s.dropped ? ` (${s.dropped} events dropped)` : ''}`);
}

function parseKinds(value: unknown): LogEventKind[] | undefined {
  if (value === undefined) return undefined;
  const kinds = parseNameList(String(value));
  const bad = kinds.filter((k) => !(LOG_EVENT_KINDS as readonly string[]).includes(k));
  if (bad.length) throw usageError(`unknown event kind ${bad.join(', ')}; kinds are: ${LOG_EVENT_KINDS.join(', ')}`);
  return kinds as LogEventKind[];
}

function parseCount(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(String(value).trim());
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw usageError(`${option} must be a whole number from 1 to 100000`);
  return n;
}

export function registerLogCommands(program: Command, run: Run): void {
  const logs = program.command('logs').description('auth and fail2ban logs of inventory hosts: live, and the history stored in the vault');

  run(
    logs
      .command('tail')
      .description('follow the hosts\' logs and print each event as it arrives (Ctrl-C stops)')
      .option('--hosts <NAMES>', 'comma-separated inventory names')
      .option('--tag <TAG>', 'every host with this tag')
      .option('--kind <KINDS>', 'only these event kinds (comma-separated)')
      .option('--count <N>', 'stop after N events')
      .option('--for <SECONDS>', 'stop after this many seconds'),
    async (ctx, opts) => {
      const selection = requireSelection(opts);
      const kinds = parseKinds(opts.kind);
      const count = parseCount(opts.count, '--count');
      const seconds = opts.for === undefined ? undefined : parseSeconds(opts.for, '--for');
      await ctx.withUnlocked(async (h) => {
        const hosts = selectHosts(h.hosts, selection);
        let printed = 0;
        let done: () => void = () => undefined;
        const finished = new Promise<void>((resolve) => (done = resolve));
        const service = new LogsService({
          vault: h.vault,
          hosts: h.hosts,
          access: h.access,
          onEvents: (events) => {
            for (const e of events) {
              if (kinds && !kinds.includes(e.kind)) continue;
              if (count !== undefined && printed >= count) break;
              ctx.out.raw(ctx.out.json ? `${JSON.stringify(e)}\n` : `${eventLine(e)}\n`);
              printed++;
            }
            if (count !== undefined && printed >= count) done();
          },
          onStatus: (s) => ctx.out.note(statusLine(s)),
        });
        try {
          await withInterrupt(ctx.io, async (signal) => {
            signal.addEventListener('abort', () => done(), { once: true });
            const timer = seconds === undefined ? undefined : setTimeout(() => done(), seconds * 1000);
            service.follow(hosts);
            await finished;
            if (timer) clearTimeout(timer);
          });
        } finally {
          await service.dispose();
        }
      });
    },
  );

  run(
    logs
      .command('query')
      .description('search the stored history, newest first')
      .option('--hosts <NAMES>', 'only these inventory hosts (comma-separated)')
      .option('--kind <KINDS>', 'only these event kinds (comma-separated)')
      .option('--ip <ADDRESS>', 'only events from this address')
      .option('--user <USER>', 'only events naming this user')
      .option('--text <TEXT>', 'only lines containing this text (case-insensitive)')
      .option('--since <SECONDS>', 'only events received in the last SECONDS')
      .option('--limit <N>', 'at most N events (default 100)'),
    async (ctx, opts) => {
      const kinds = parseKinds(opts.kind);
      const limit = parseCount(opts.limit, '--limit') ?? 100;
      const since = opts.since === undefined ? undefined : parseCount(opts.since, '--since');
      await ctx.withUnlocked((h) => {
        const service = new LogsService({ vault: h.vault, hosts: h.hosts, access: h.access });
        try {
          const found = service.query({
            limit,
            ...(opts.hosts !== undefined ? { hosts: parseNameList(String(opts.hosts)) } : {}),
            ...(kinds ? { kinds } : {}),
            ...(opts.ip !== undefined ? { ip: String(opts.ip) } : {}),
            ...(opts.user !== undefined ? { user: String(opts.user) } : {}),
            ...(opts.text !== undefined ? { text: String(opts.text) } : {}),
            ...(since !== undefined ? { from: Date.now() - since * 1000 } : {}),
          });
          ctx.out.result(found, () => (found.length ? found.map(eventLine).join('\n') + '\n' : 'no stored events match\n'));
        } finally {
          void service.dispose();
        }
      });
    },
  );
}
