/**
 * `bulwark keys deploy|audit|rotate|revoke`: the key fleet operations (services/keys/fleet-ops.ts)
 * over hosts chosen with --hosts/--tag. Each host succeeds or fails on its own; fleet-run.ts
 * does the progress lines, Ctrl-C, the summary and the exit code.
 */
import type { Command } from 'commander';
import type { Host } from '../../../shared/domain/host';
import type { Run } from '../command';
import type { CliContext } from '../context';
import { auditMatrix, auditTable } from '../audit-matrix';
import { type FleetRun, type HostOutcome, errorCell, finish, hostCount, runFleet, summaryLine } from '../fleet-run';
import { requireKey } from '../lookup';
import { formatTable, printable } from '../output';
import { parseAccount, parseSeconds, requireSelection } from '../options';
import type { SshTuning } from '../services';

const SELECT_HELP = { hosts: 'comma-separated inventory names', tag: 'every host with this tag' };

/** --hosts, --tag and --timeout, which every fleet command takes. */
function fleetOptions(cmd: Command): Command {
  return cmd
    .option('--hosts <NAMES>', SELECT_HELP.hosts)
    .option('--tag <T>', SELECT_HELP.tag)
    .option('--timeout <S>', 'seconds to wait for each host to connect (default 20)');
}

function sshTuning(opts: Record<string, unknown>): SshTuning | undefined {
  return opts.timeout === undefined ? undefined : { readyTimeoutMs: parseSeconds(opts.timeout, '--timeout') * 1000 };
}

/** The options every op checks before the vault opens. */
function common(opts: Record<string, unknown>) {
  const ssh = sshTuning(opts);
  return { selection: requireSelection(opts), ...(ssh ? { ssh } : {}) };
}

const accountFor = (account: string | undefined) => (h: Host) => account ?? h.user;

export function registerKeyFleetCommands(keys: Command, run: Run): void {
  run(
    fleetOptions(keys.command('deploy').description("add a vault key to hosts' authorized_keys (idempotent)").argument('<NAME>', 'key name')).option(
      '--account <USER>',
      "whose authorized_keys (default: each host's login user; another account needs root or sudo)",
    ),
    async (ctx, opts, [name]) => {
      const account = parseAccount(opts.account);
      let keyName = name!;
      const r = await runFleet(ctx, {
        op: 'deploy',
        ...common(opts),
        accountOf: accountFor(account),
        plan: (h, hosts) => {
          const key = requireKey(h.keys, name!);
          keyName = key.name;
          return {
            describe: `key ${key.name} to ${hostCount(hosts.length)}`,
            run: (o) => h.access.keyOps().deploy(key.id, hosts, { ...o, ...(account ? { account } : {}) }),
          };
        },
      });
      printOutcome(ctx, 'deploy', r, { op: 'deploy', key: keyName });
    },
  );

  run(
    fleetOptions(keys.command('audit').description("list every key in hosts' authorized_keys, as a key x host x account matrix")).option(
      '--login-only',
      "read only the login user's authorized_keys (default: every account with a login shell, as root or through sudo)",
    ),
    async (ctx, opts) => {
      const accounts = opts.loginOnly === true ? 'login' : 'all-login-shells';
      const r = await runFleet(ctx, {
        op: 'audit',
        ...common(opts),
        plan: (h, hosts) => ({
          describe: `authorized_keys on ${hostCount(hosts.length)}`,
          run: (o) => h.access.keyOps().audit(hosts, { ...o, accounts }),
        }),
      });
      const rows = auditMatrix(r.results.flatMap((x) => x.rows));
      const hosts = r.results.map(({ rows: _rows, ...rest }) => rest);
      if (ctx.out.json) {
        ctx.out.data({ op: 'audit', scope: accounts, rows, hosts, summary: r.summary });
      } else {
        ctx.out.text(auditTable(rows) + '\n');
        const scope = (s: string) => (s === 'login' ? 'login user' : 'all with a login shell');
        ctx.out.text(formatTable(['HOST', 'ACCOUNTS', 'STATUS', 'ERROR'], hosts.map((x) => [x.host, scope(x.scope), x.status, errorCell(x.error, x.host)].map(printable))));
        for (const x of hosts) for (const p of x.problems) ctx.out.note(printable(`warning: ${x.host} (${p.account}): ${p.message}`));
        ctx.out.text(summaryLine('audit', r.summary));
      }
      finish(r);
    },
  );

  run(
    fleetOptions(
      keys
        .command('rotate')
        .description('replace key OLD by NEW on hosts: add NEW, prove a fresh login with NEW, then remove OLD')
        .argument('<OLD>', 'key to retire')
        .argument('<NEW>', 'key to put in its place'),
    ).option('--account <USER>', "whose authorized_keys (default: each host's login user)"),
    async (ctx, opts, [oldName, newName]) => {
      const account = parseAccount(opts.account);
      const names = { oldKey: oldName!, newKey: newName! };
      const r = await runFleet(ctx, {
        op: 'rotate',
        ...common(opts),
        accountOf: accountFor(account),
        plan: (h, hosts) => {
          const oldKey = requireKey(h.keys, oldName!);
          const newKey = requireKey(h.keys, newName!);
          Object.assign(names, { oldKey: oldKey.name, newKey: newKey.name });
          return {
            describe: `${oldKey.name} -> ${newKey.name} on ${hostCount(hosts.length)}`,
            run: (o) => h.access.keyOps().rotate(oldKey.id, newKey.id, hosts, { ...o, ...(account ? { account } : {}) }),
          };
        },
      });
      printOutcome(ctx, 'rotate', r, { op: 'rotate', ...names }, (x) => rotateNote(x.reached, x.status));
    },
  );

  run(
    fleetOptions(
      keys
        .command('revoke')
        .description("remove a vault key from hosts' authorized_keys")
        .argument('<NAME>', 'key name'),
    )
      .option('--account <USER>', "whose authorized_keys (default: each host's login user)")
      .option('--force', 'remove it even where it is the key bulwark logs in with (bulwark may lose access)'),
    async (ctx, opts, [name]) => {
      const account = parseAccount(opts.account);
      const force = opts.force === true;
      let keyName = name!;
      const r = await runFleet(ctx, {
        op: 'revoke',
        ...common(opts),
        accountOf: accountFor(account),
        plan: (h, hosts) => {
          const key = requireKey(h.keys, name!);
          keyName = key.name;
          return {
            describe: `key ${key.name} from ${hostCount(hosts.length)}${force ? ' (forced)' : ''}`,
            run: (o) => h.access.keyOps().revoke(key.id, hosts, { ...o, force, ...(account ? { account } : {}) }),
          };
        },
      });
      printOutcome(ctx, 'revoke', r, { op: 'revoke', key: keyName, force });
    },
  );
}

/** How far a failed rotation got, in front of its error: the one thing to know before retrying. */
function rotateNote(reached: string, status: string): string {
  if (status !== 'failed') return '';
  if (reached === 'deployed') return 'new key added, old key kept: ';
  if (reached === 'verified') return 'new key works, old key not removed: ';
  return '';
}

type WithAccount = HostOutcome & { account: string; durationMs: number };

/** The HOST/ACCOUNT/STATUS/ERROR table and the summary, or the JSON document; then the exit code. */
function printOutcome<R extends WithAccount>(
  ctx: CliContext,
  op: string,
  r: FleetRun<R>,
  header: Record<string, unknown>,
  note: (x: R) => string = () => '',
): void {
  if (ctx.out.json) {
    ctx.out.data({ ...header, results: r.results, summary: r.summary });
  } else {
    const rows = r.results.map((x) => [x.host, x.account, x.status, x.error ? note(x) + errorCell(x.error, x.host) : ''].map(printable));
    ctx.out.text(formatTable(['HOST', 'ACCOUNT', 'STATUS', 'ERROR'], rows));
    ctx.out.text(summaryLine(op, r.summary));
  }
  finish(r);
}
