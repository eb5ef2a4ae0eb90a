/**
 * `bulwark pve add|sync|list`: Proxmox VE endpoints and the guests synced from them.
 *
 * `add` checks the endpoint before storing it: the TLS certificate (shown and asked about when
 * no --fingerprint is given, like an SSH host key), the token (a real API call), and the
 * privileges the token actually has, warning about the ones sync and the firewall need.
 * `sync` reads every endpoint (or the named ones) into the vault and prints the drift it found;
 * `list` prints what the vault holds, without touching the network.
 */
import type { Command } from 'commander';
import { type GuestChange, nodeHostCandidates, type PinOutcome, type PveGuest, type PveNodeStatus } from '../../../shared/domain/proxmox';
import { BulwarkError, type ErrorData, isBulwarkError } from '../../../shared/errors';
import { ProxmoxNodeStore } from '../../services/inventory';
import type { FirewallPlanView } from '../../../shared/domain/proxmox-firewall';
import { ProxmoxService } from '../../services/proxmox/proxmox-service';
import type { Run } from '../command';
import type { CliContext } from '../context';
import type { VaultHandle } from '../services';
import { usageError } from '../errors';
import { formatTable, printable } from '../output';
import { parseNameList } from '../select';

const SECRET_ENV = 'BULWARK_PVE_TOKEN_SECRET';
const PASSWORD_ENV = 'BULWARK_PVE_PASSWORD';

const service = (h: VaultHandle) => new ProxmoxService({ vault: h.vault, endpoints: new ProxmoxNodeStore(h.vault), hosts: h.hosts, access: h.access });

type SyncLine =
  | { endpoint: string; ok: true; clusterName: string | null; nodes: PveNodeStatus[]; guests: number; unreachableNodes: string[]; changes: GuestChange[] }
  | { endpoint: string; ok: false; error: ErrorData };

/** https://HOST[:PORT] (port 8006 by default); nothing after the port. */
export function parsePveUrl(url: string): { address: string; port: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usageError(`--url must look like https://HOST:8006, not "${printable(url)}"`);
  }
  if (u.protocol !== 'https:') throw usageError('--url must start with https:// (the Proxmox API is served over TLS only)');
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) throw usageError('--url must be only https://HOST[:PORT], e.g. https://pve1.lan:8006');
  return { address: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : 8006 };
}

/** USER@REALM!TOKENID=SECRET, or USER@REALM!TOKENID with the secret from the environment. */
function parseToken(token: string, env: Readonly<Record<string, string | undefined>>): { user: string; secret: string } {
  const eq = token.indexOf('=');
  const user = eq < 0 ? token : token.slice(0, eq);
  const secret = eq < 0 ? (env[SECRET_ENV] ?? '') : token.slice(eq + 1);
  if (!secret) throw usageError(`--token needs its secret: USER@REALM!TOKENID=SECRET, or set ${SECRET_ENV} (keeps it out of shell history)`);
  return { user, secret };
}

/** Shows what an endpoint presents and asks whether to trust it; returns its SHA-256. */
async function confirmCertificate(ctx: CliContext, pveService: ProxmoxService, name: string, address: string, port: number, question: string): Promise<string> {
  const p = await pveService.certificate(name, address, port);
  ctx.out.note(`${printable(name)} (${address}:${port}) presents this certificate:\n  SHA-256  ${p.sha256}\n  subject  ${printable(p.subject)}\n  issuer   ${printable(p.issuer)}\n  expires  ${p.validTo}\nCompare it with the node's own (Datacenter > node > System > Certificates, or "pvenode cert info").`);
  if (!ctx.io.stdin.isTTY) throw new BulwarkError('TLS_UNPINNED', `${name}'s certificate is not pinned yet. Pass --fingerprint ${p.sha256} once you have checked it.`, { fingerprint: p.sha256 });
  if (!(await ctx.confirm(question))) throw new BulwarkError('TLS_UNPINNED', 'The certificate was not trusted: nothing changed.', { fingerprint: p.sha256 });
  return p.sha256;
}

function pinnedLine(p: PinOutcome): string {
  const what = p.kind === 'ca' ? `the cluster CA (${printable(p.subject)}, SHA-256 ${p.sha256}) pinned: renewed node certificates keep working` : `certificate ${p.sha256} pinned`;
  return p.note ? `${what}\nnote: ${p.note}` : what;
}

function changeLine(c: GuestChange, names: Map<string, string>): string {
  const who = names.get(c.guestId) ?? c.guestId;
  switch (c.kind) {
    case 'new':
      return `new      ${who}: ${c.addresses.join(', ')}`;
    case 'gone':
      return `gone     ${who} (since ${new Date(c.since).toISOString().slice(0, 16).replace('T', ' ')})`;
    case 'renamed':
      return `renamed  ${who}: ${c.from} -> ${c.to}`;
    case 'address':
      return `address  ${who}: ${c.from.join(', ') || '-'} -> ${c.to.join(', ')}`;
  }
}

function guestRows(guests: readonly PveGuest[], endpointName: (id: string) => string): string[][] {
  return guests.map((g) => [endpointName(g.endpointId), g.node, String(g.vmid), g.type, printable(g.name), g.goneSince !== null ? 'gone' : g.status, g.addresses.map((a) => a.address).join(', ') || '-', g.tags.join(',') || '-']);
}

export function registerPveCommands(program: Command, run: Run): void {
  const pve = program.command('pve').description('Proxmox VE endpoints: add one, sync its nodes and guests into the vault, list them');

  run(
    pve
      .command('add')
      .description('add a Proxmox VE endpoint after checking its certificate, token and privileges')
      .requiredOption('--name <NAME>', 'a name for this endpoint (a node or a cluster)')
      .requiredOption('--url <URL>', 'https://HOST:8006')
      .option('--token <TOKEN>', `USER@REALM!TOKENID=SECRET (or USER@REALM!TOKENID with the secret in $${SECRET_ENV})`)
      .option('--user <USER@REALM>', `sign in with this user's password instead of a token (from --password-file, $${PASSWORD_ENV} or a prompt); not for users with two-factor authentication`)
      .option('--password-file <FILE>', "the password for --user (first line)")
      .option('--fingerprint <SHA256>', "the node certificate's SHA-256 (AA:BB:...): without it Bulwark shows the certificate and asks")
      .option('--pin-certificate', 'pin only this certificate, not the cluster CA that issued it (a renewal then needs "bulwark pve trust")'),
    async (ctx, opts) => {
      const { address, port } = parsePveUrl(String(opts.url));
      if ((opts.token === undefined) === (opts.user === undefined)) throw usageError('give either --token USER@REALM!TOKENID=SECRET (recommended) or --user USER@REALM (password sign-in)');
      if (opts.passwordFile !== undefined && opts.user === undefined) throw usageError('--password-file goes with --user');
      let fingerprint = opts.fingerprint === undefined ? null : String(opts.fingerprint).trim().toUpperCase();
      const name = String(opts.name);
      const pin = opts.pinCertificate === true ? 'certificate' : 'ca';
      const credentials =
        opts.token !== undefined
          ? { auth: 'token' as const, ...parseToken(String(opts.token), ctx.io.env) }
          : { auth: 'password' as const, user: String(opts.user), secret: '' };
      await ctx.withUnlocked(async (h) => {
        const pveService = service(h);
        // format errors and a taken name before any network traffic (and before asking for a password)
        pveService.validate({ name, address, port, ...credentials, secret: credentials.secret || 'x', fingerprint, pin });
        if (credentials.auth === 'password') {
          credentials.secret = await ctx.secret({ what: 'password', file: opts.passwordFile === undefined ? undefined : String(opts.passwordFile), fileOption: '--password-file', envVar: PASSWORD_ENV, prompt: `Password of ${credentials.user}` });
        }
        fingerprint ??= await confirmCertificate(ctx, pveService, name, address, port, 'Trust this certificate for this endpoint?');
        const added = await pveService.add({ name, address, port, ...credentials, fingerprint, pin });
        ctx.out.result(added, () => {
          const lines = [`Added ${added.endpoint.name} (${address}:${port}, Proxmox VE ${added.version}), ${pinnedLine(added.pinned)}`];
          const who = credentials.auth === 'token' ? 'the token' : credentials.user;
          for (const m of added.missing) lines.push(`warning: ${who} lacks ${m.privilege} on ${m.path}: ${m.neededFor}`);
          return `${lines.join('\n')}\n`;
        });
      });
    },
  );

  run(
    pve
      .command('trust')
      .argument('<NAME>', 'the endpoint')
      .option('--fingerprint <SHA256>', 'the SHA-256 of the certificate it presents now (AA:BB:...): without it Bulwark shows the certificate and asks')
      .option('--pin-certificate', 'pin only this certificate, not the cluster CA that issued it')
      .description("pin the certificate an endpoint presents now, after it was renewed or replaced (compare it with the node's own first)"),
    async (ctx, opts, [name]) => {
      await ctx.withUnlocked(async (h) => {
        const pveService = service(h);
        const [endpoint] = pick(pveService.state(), String(name));
        const fingerprint = opts.fingerprint !== undefined ? String(opts.fingerprint) : await confirmCertificate(ctx, pveService, endpoint!.name, endpoint!.address, endpoint!.port, `Trust this certificate for ${endpoint!.name} instead of the pinned ${endpoint!.fingerprint}?`);
        const r = await pveService.trust(endpoint!.id, fingerprint, opts.pinCertificate === true ? 'certificate' : 'ca');
        ctx.out.result(r, () => `${r.endpoint.name}: ${pinnedLine(r.pinned)}\n`);
      });
    },
  );

  run(
    pve
      .command('sync')
      .argument('[NAMES]', 'comma-separated endpoint names (default: all)')
      .description('read nodes, guests and guest addresses into the vault and show what changed'),
    async (ctx, _opts, [wanted]) => {
      await ctx.withUnlocked(async (h) => {
        const pveService = service(h);
        const endpoints = pick(pveService.state(), wanted);
        const results: SyncLine[] = [];
        for (const ep of endpoints) {
          try {
            const r = await pveService.syncEndpoint(ep.id, (done, total) => ctx.out.note(`${ep.name}: guest addresses ${done}/${total}`));
            results.push({ endpoint: ep.name, ok: true, clusterName: r.clusterName, nodes: r.nodes, guests: r.guests.length, unreachableNodes: r.unreachableNodes, changes: r.changes });
          } catch (e) {
            if (!isBulwarkError(e)) throw e;
            results.push({ endpoint: ep.name, ok: false, error: e.toData() });
          }
        }
        const guestNames = new Map(pveService.guests().map((g) => [g.id, `${g.name} (${g.vmid})`]));
        ctx.out.result(results, () =>
          results
            .map((r) =>
              r.ok
                ? [`${r.endpoint}: ${r.nodes.length} node(s)${r.unreachableNodes.length ? ` (${r.unreachableNodes.join(', ')} unreachable)` : ''}, ${r.guests} guest(s), ${r.changes.length} change(s) to review`, ...r.changes.map((c) => `  ${changeLine(c, guestNames)}`)].join('\n')
                : `${r.endpoint}: sync failed: ${r.error.message}`,
            )
            .join('\n') + '\n',
        );
        const failed = results.filter((r): r is Extract<SyncLine, { ok: false }> => !r.ok);
        if (failed.length) throw new BulwarkError(failed[0]!.error.code, `${failed.length} of ${results.length} endpoint(s) failed to sync`);
      });
    },
  );

  run(
    pve
      .command('accept')
      .argument('<GUESTS>', 'comma-separated VMIDs or guest names with changes to accept, or "all"')
      .option('--add-host', 'also add each new guest to the inventory (its first IPv4 address, its Proxmox tags, linked to the guest)')
      .option('--user <USER>', 'login user for hosts added with --add-host (default root)')
      .description('accept synced changes: new guests (optionally as hosts), renames and new addresses (followed by linked hosts), gone guests (their hosts are unlinked, not removed)'),
    async (ctx, opts, [wanted]) => {
      await ctx.withUnlocked((h) => {
        const pveService = service(h);
        const pending = pveService.changes();
        const guests = new Map(pveService.guests().map((g) => [g.id, g]));
        const ids = [...new Set(pending.map((c) => c.guestId))];
        const chosen = String(wanted).trim().toLowerCase() === 'all' ? ids : parseNameList(String(wanted)).map((w) => {
          const hit = ids.filter((id) => String(guests.get(id)?.vmid) === w || guests.get(id)?.name.toLowerCase() === w.toLowerCase());
          if (hit.length !== 1) throw new BulwarkError('NOT_FOUND', hit.length ? `"${printable(w)}" names ${hit.length} guests with changes: use the VMID` : `no change to accept for "${printable(w)}" (run "bulwark pve sync", then "bulwark pve list")`);
          return hit[0]!;
        });
        const addHost = opts.addHost === true ? { ...(opts.user !== undefined ? { user: String(opts.user) } : {}) } : undefined;
        const results = pveService.accept(chosen, { addHost });
        ctx.out.result(results, () =>
          results.length
            ? results.map((r) => `accepted ${printable(r.guest)}${r.host ? `: host ${printable(r.host.name)} ${r.host.action}` : ''}`).join('\n') + '\n'
            : 'nothing to accept\n',
        );
      });
    },
  );

  run(
    pve
      .command('firewall')
      .argument('<NAME>', 'the endpoint')
      .requiredOption('--ssh-from <CIDRS>', 'addresses or networks allowed to SSH to the nodes (comma-separated)')
      .option('--internal <CIDR>', 'the internal network, allowed everything inbound')
      .option('--web-ui <ADDRESSES>', 'addresses that must keep the web UI and SSH (added to the management IPSet)')
      .option('--ssh-port <PORT>', "the nodes' real SSH port (default 22)")
      .option('--self <ADDRESS>', "this machine's address as the node sees it (default: the API connection's; set it behind a NAT)")
      .option('--apply', 'apply the plan (after confirmation): firewall on with the safety net, checked from fresh API and SSH connections, else rolled back')
      .option('--ssh-host <HOST>', "the inventory host that is this Proxmox node, for the fresh SSH check (default: the one host at the endpoint's address or a synced node IP)")
      .option('--yes', 'do not ask before applying')
      .description("plan (and with --apply, apply) the guide's datacenter firewall: on, policy_in DROP, policy_out ACCEPT, SSH from the listed sources, the internal network"),
    async (ctx, opts, [name]) => {
      const sshPort = opts.sshPort === undefined ? 22 : Number(opts.sshPort);
      const params = {
        sshPort,
        sshFrom: parseNameList(String(opts.sshFrom)),
        internalCidr: opts.internal === undefined ? null : String(opts.internal).trim(),
        webUiFrom: opts.webUi === undefined ? [] : parseNameList(String(opts.webUi)),
      };
      if (opts.apply === true && opts.yes !== true && !ctx.io.stdin.isTTY) throw usageError('--apply without a terminal needs --yes');
      const self = opts.self === undefined ? undefined : String(opts.self).trim();
      await ctx.withUnlocked(async (h) => {
        const pveService = service(h);
        const [endpoint] = pick(pveService.state(), String(name));
        const plan = await pveService.firewallPlan(endpoint!.id, params, { self });
        if (opts.apply !== true || plan.refused || plan.compliant) {
          ctx.out.result(plan, () => planText(endpoint!.name, plan));
          if (plan.refused) throw new BulwarkError('VALIDATION', plan.refused);
          return;
        }
        ctx.out.note(planText(endpoint!.name, plan));
        const hostId = opts.sshHost === undefined ? nodeHostFor(h, endpoint!) : h.hosts.findByName(String(opts.sshHost))?.id;
        if (!hostId) throw new BulwarkError('NOT_FOUND', `no inventory host named ${printable(String(opts.sshHost))}`);
        if (opts.yes !== true && !(await ctx.confirm(`Apply this to ${endpoint!.name}'s datacenter firewall?`))) throw usageError('not applied');
        const r = await pveService.firewallApply(endpoint!.id, params, { self, sshHostId: hostId, digests: plan.digests, onStep: (st) => ctx.out.note(`${endpoint!.name}: ${st}`) });
        ctx.out.result(r, () => `${endpoint!.name}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}\n`);
        if (r.outcome !== 'applied') throw new BulwarkError('PVE_API_ERROR', `${endpoint!.name}: the firewall change was ${r.outcome}: ${r.reason ?? ''}`);
      });
    },
  );

  run(pve.command('list').description('endpoints, their nodes and guests with their addresses, as last synced'), async (ctx) => {
    await ctx.withUnlocked((h) => {
      const endpoints = service(h).state();
      const nameOf = new Map(endpoints.map((e) => [e.id, e.name]));
      ctx.out.result(endpoints, () => {
        if (!endpoints.length) return 'no Proxmox endpoints (add one with "bulwark pve add")\n';
        const head = endpoints.map((e) => `${e.name}  ${e.address}:${e.port}  ${e.lastSync ? `synced ${new Date(e.lastSync.syncedAt).toISOString().slice(0, 16).replace('T', ' ')}, nodes ${e.lastSync.nodes.map((n) => `${n.name} ${n.online ? 'online' : 'offline'}`).join(', ')}` : 'never synced'}${e.changes.length ? `, ${e.changes.length} change(s) to review` : ''}`);
        const guests = endpoints.flatMap((e) => e.guests);
        return `${head.join('\n')}\n${guests.length ? `\n${formatTable(['ENDPOINT', 'NODE', 'VMID', 'TYPE', 'NAME', 'STATUS', 'ADDRESSES', 'TAGS'], guestRows(guests, (id) => nameOf.get(id) ?? id))}` : ''}`;
      });
    });
  });
}

function planText(name: string, plan: FirewallPlanView): string {
  const out: string[] = [`Datacenter firewall of ${name} (Bulwark's address as the node sees it: ${plan.self}; the node's local network: ${plan.localNetwork ?? 'not read, not counted'})`];
  if (plan.compliant) out.push('Already as planned: nothing to change.');
  for (const o of plan.options) out.push(`  option  ${o.key}: ${o.from} -> ${o.to}`);
  const changed = plan.rules.filter((r) => r.op !== 'keep' || !r.mine);
  if (changed.length) {
    out.push('', formatTable(['', 'DIR', 'ACTION', 'PROTO', 'PORT', 'SOURCE', 'COMMENT'], changed.map((r) => [r.op === 'add' ? '+' : r.op === 'remove' ? '-' : ' ', r.rule.type.toUpperCase(), r.rule.action, r.rule.proto ?? 'any', r.rule.dport ?? r.rule.macro ?? 'any', r.rule.source ?? 'any', printable(r.rule.comment ?? '')])).trimEnd());
  }
  for (const m of plan.management.filter((x) => x.op === 'add')) out.push(`  + management IPSet: ${m.cidr}`);
  out.push('', formatTable(['CAN STILL REACH', 'WHO', 'PORT', 'OK', 'BECAUSE OF'], plan.guard.map((g) => [g.address, g.who, String(g.port), g.allowed ? 'yes' : 'NO', g.by])).trimEnd());
  if (plan.refused) out.push('', plan.refused);
  return `${out.join('\n')}\n`;
}

/** The one inventory host at the endpoint's address or a synced node IP, for the fresh SSH check. */
function nodeHostFor(h: VaultHandle, endpoint: Parameters<typeof nodeHostCandidates>[1] & { name: string }): string {
  const found = nodeHostCandidates(h.hosts.list(), endpoint);
  if (found.length === 1) return found[0]!.id;
  throw usageError(
    found.length
      ? `--apply needs --ssh-host HOST: several inventory hosts are at ${endpoint.name}'s node addresses (${found.map((x) => x.name).join(', ')})`
      : `--apply needs --ssh-host HOST: no inventory host is at ${endpoint.name}'s address or a synced node IP (the fresh SSH check logs into the node)`,
  );
}

function pick<T extends { name: string }>(all: T[], names: string | undefined): T[] {
  if (!names) {
    if (!all.length) throw new BulwarkError('NOT_FOUND', 'no Proxmox endpoints (add one with "bulwark pve add")');
    return all;
  }
  const wanted = parseNameList(names);
  const byName = new Map(all.map((e) => [e.name.toLowerCase(), e]));
  const unknown = wanted.filter((n) => !byName.has(n.toLowerCase()));
  if (unknown.length) throw new BulwarkError('NOT_FOUND', `no Proxmox endpoint named ${unknown.join(', ')} (known: ${all.map((e) => e.name).join(', ') || 'none'})`);
  return wanted.map((n) => byName.get(n.toLowerCase())!);
}
