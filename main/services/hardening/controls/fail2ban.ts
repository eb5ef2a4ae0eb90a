/**
 * Control 6: a fail2ban jail for sshd. Bulwark's jail file sorts last in jail.d (*.local files
 * are read after *.conf, and "zz-" after the others), so its values win. Debian 12 logs to the
 * journal only: there the jail reads it (backend = systemd) instead of a missing auth.log,
 * which is why the stock jail fails to start on a fresh Debian 12. Bulwark's own address is in
 * ignoreip, so it can never ban itself.
 */
import { z } from '../../../../shared/zod';
import { type Control, type ControlContext, emptyPlan } from '../control';

export const JAIL_FILE = '/etc/fail2ban/jail.d/zz-bulwark-sshd.local';

export const fail2banParams = z
  .object({
    maxretry: z.number().int().min(1).max(100).default(3),
    /** Seconds; the guide's hour by default. */
    bantime: z.number().int().min(60).max(31_536_000).default(3600),
    findtime: z.number().int().min(60).max(31_536_000).default(600),
  })
  .strict();
export type Fail2banParams = z.output<typeof fail2banParams>;

function sshPorts(ctx: ControlContext): string {
  const ports = ctx.facts.sshd.effective.get('port') ?? [];
  return (ports.length ? ports : [String(ctx.login.port)]).join(',');
}

export function renderJail(ctx: ControlContext, p: Fail2banParams): string {
  const ignore = ['127.0.0.1/8', '::1', ...(ctx.facts.connection ? [ctx.facts.connection.clientAddress] : [])];
  const source = ctx.facts.authLog ? [`backend = auto`, `logpath = ${ctx.facts.authLog}`] : ['backend = systemd'];
  return [
    '# Managed by Bulwark: changes here are replaced on the next apply.',
    '[sshd]',
    'enabled = true',
    `port = ${sshPorts(ctx)}`,
    'filter = sshd',
    ...source,
    `maxretry = ${p.maxretry}`,
    `findtime = ${p.findtime}`,
    `bantime = ${p.bantime}`,
    `ignoreip = ${ignore.join(' ')}`,
    '',
  ].join('\n');
}

/**
 * A running fail2ban takes the new jail with `fail2ban-client reload`, which returns once the
 * server has the jails, so one status call verifies: one Python start where a restart costs
 * three plus a poll (about 0.13 s against 1.2 s on an idle fleet host). A configuration the
 * client cannot read (a syntax error anywhere in jail.d) fails the reload before the server is
 * touched; one the server rejects can leave it without jails. Either way the apply restores.
 */
const RELOAD = 'fail2ban-client reload';
const JAIL_STATUS = 'fail2ban-client status sshd';
/**
 * Back to the restored files: reload them; when the reload fails but the sshd jail still runs,
 * the server was never touched and already runs them; only a server left without jails is
 * restarted. Restarting blindly would stop fail2ban for good on a host with someone else's
 * broken file in jail.d.
 */
const RESTORE_RUNNING = 'fail2ban-client reload >/dev/null 2>&1 || fail2ban-client status sshd >/dev/null 2>&1 || systemctl restart fail2ban';
/**
 * A stopped or failed fail2ban is started; the unit is Type=simple, so wait for the server's
 * socket in the shell (free) before asking for the jail. Each ask is a Python start (~150 ms of
 * CPU), and the server needs a while after its socket appears to load the jail (seconds when 30
 * hosts share two cores): asking every 100 ms then cost more CPU than the rest of the apply, so
 * the asks back off. When it never comes up, `fail2ban-client -t` says why (the configuration
 * test is only paid for on failure).
 */
const WAIT_FOR_JAIL =
  'i=0; until [ -S /run/fail2ban/fail2ban.sock ]; do i=$((i+1)); [ $i -gt 100 ] && break; sleep 0.1; done; ' +
  'up=; for d in 0.2 0.3 0.5 0.8 1 1.5 2 2 3 3 3; do fail2ban-client status sshd >/dev/null 2>&1 && { up=1; break; }; sleep $d; done; ' +
  '[ -n "$up" ] || { fail2ban-client status sshd; fail2ban-client -t 2>&1 | tail -n 5; exit 1; }';

export const fail2ban: Control<Fail2banParams> = {
  id: 'fail2ban',
  title: 'fail2ban jail for sshd',
  reason: 'Bans addresses that keep failing to log in, which cuts brute-force noise and slows guessing.',
  params: fail2banParams as unknown as z.ZodType<Fail2banParams>,
  kind: 'change',
  check(ctx, p) {
    const f = ctx.facts.fail2ban;
    if (!f.installed) return { status: 'drift', evidence: ['fail2ban is not installed'] };
    const ours = f.jailFiles.find((j) => j.path === JAIL_FILE);
    const want = renderJail(ctx, p).trimEnd();
    const later = f.jailFiles.filter((j) => j.path > JAIL_FILE && j.path.endsWith('.local') && /^\s*\[sshd\]/m.test(j.content)).map((j) => j.path);
    const evidence = [
      `fail2ban ${f.version ?? ''} ${f.state || 'unknown state'} (${f.enabled || 'unknown'})`.replace(/ {2,}/g, ' '),
      ours ? (ours.content.trimEnd() === want ? `${JAIL_FILE} as wanted` : `${JAIL_FILE} differs`) : `${JAIL_FILE} missing`,
      ...later.map((l) => `${l} is read after Bulwark's jail and changes [sshd]`),
    ];
    const ok = f.state === 'active' && f.enabled === 'enabled' && ours?.content.trimEnd() === want && later.length === 0;
    return { status: ok ? 'compliant' : 'drift', evidence };
  },
  plan(ctx, p) {
    const plan = emptyPlan();
    const f = ctx.facts.fail2ban;
    if (!f.installed) plan.commands.push('DEBIAN_FRONTEND=noninteractive apt-get install -y -q fail2ban');
    if (!ctx.facts.connection) plan.notes.push("Bulwark's address is unknown: it is not in ignoreip.");
    plan.files.push({ path: JAIL_FILE, content: renderJail(ctx, p), mode: 0o644, owner: 'root', group: 'root' });
    if (f.enabled !== 'enabled') plan.commands.push('systemctl enable --quiet fail2ban');
    const running = f.installed && f.state === 'active';
    plan.commands.push(running ? RELOAD : 'systemctl restart fail2ban');
    plan.verify.push(running ? JAIL_STATUS : WAIT_FOR_JAIL);
    // put the service back as it was: running with the old jail, or stopped
    plan.onRestore.push(running ? RESTORE_RUNNING : 'systemctl stop fail2ban');
    return plan;
  },
};
