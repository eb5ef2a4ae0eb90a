/**
 * `bulwark hosts set-sudo-password|clear-sudo-password|set-login-password|clear-login-password|
 * set-login-key`: how Bulwark gets onto a host and becomes root there. Registered on the existing `hosts` command (hosts.ts owns the
 * inventory commands themselves).
 *
 * The passwords are secrets, so they never come from argv: it is read from stdin (one line)
 * when stdin is piped, else asked for twice without echo on the terminal.
 */
import type { Command } from 'commander';
import type { Host } from '../../../shared/domain/host';
import type { HostSecretName } from '../../services/inventory';
import type { Run } from '../command';
import type { CliContext } from '../context';
import { usageError } from '../errors';
import { requireHost, requireKey } from '../lookup';
import { printable } from '../output';
import { readOneLine } from '../stdin-line';

interface SecretCommand {
  name: HostSecretName;
  /** "sudo password" / "login password" */
  label: string;
  verb: string;
}

const SECRETS: SecretCommand[] = [
  { name: 'sudoPassword', label: 'sudo password', verb: 'sudo-password' },
  { name: 'loginPassword', label: 'login password', verb: 'login-password' },
];

export function registerHostAccessCommands(hosts: Command, run: Run): void {
  for (const secret of SECRETS) registerSecretCommands(hosts, run, secret);

  run(
    hosts
      .command('set-login-key')
      .description('log in to HOST with this vault key only (--none: offer every vault key, then the agent)')
      .argument('<HOST>', 'inventory host name')
      .argument('[KEYNAME]', 'vault key name')
      .option('--none', 'no login key: offer every vault key, then $SSH_AUTH_SOCK'),
    async (ctx, opts, [name, keyName]) => {
      const none = opts.none === true;
      if (none === (keyName !== undefined)) throw usageError('give either a KEYNAME or --none');
      const r = await ctx.withUnlocked((h) => {
        const host = requireHost(h.hosts, name!);
        const key = keyName === undefined ? null : requireKey(h.keys, keyName);
        const updated = h.hosts.update(host.id, { ...inputOf(host), loginKeyId: key?.id ?? null });
        return { host: updated.name, loginKey: key?.name ?? null };
      });
      ctx.out.result(r, () =>
        r.loginKey === null
          ? `${printable(r.host)} has no login key: bulwark offers every vault key, then the ssh-agent`
          : `${printable(r.host)} logs in with ${printable(r.loginKey)} only (it must be in the host's authorized_keys: "bulwark keys deploy ${printable(r.loginKey)} --hosts ${printable(r.host)}")`,
      );
    },
  );
}

/** A stored host as the input HostStore.update takes (it replaces every field). */
function inputOf(h: Host) {
  return { name: h.name, address: h.address, port: h.port, user: h.user, jumpHost: h.jumpHost, tags: h.tags, notes: h.notes, guest: h.guest, loginKeyId: h.loginKeyId };
}


/**
 * set-X / clear-X for one host secret. The login password is offered after the vault keys and
 * the agent; sudo falls back to it when no sudo password is stored.
 */
function registerSecretCommands(hosts: Command, run: Run, secret: SecretCommand): void {
  run(
    hosts
      .command(`set-${secret.verb}`)
      .description(`store the ${secret.label} of HOST's login user in the vault (from stdin, one line, or asked twice on a terminal)`)
      .argument('<HOST>', 'inventory host name'),
    async (ctx, _opts, [name]) => {
      const done = await ctx.withUnlocked(async (h) => {
        const host = requireHost(h.hosts, name!);
        const password = await readSecret(ctx, host, secret.label);
        h.hostSecrets.set(host.id, secret.name, password);
        return host;
      });
      if (secret.name === 'sudoPassword' && done.user === 'root') ctx.out.note(`note: ${printable(done.name)} logs in as root, so sudo is not used there until its user changes`);
      ctx.out.result({ host: done.name, user: done.user, [secret.name]: true }, () => `Stored the ${secret.label} of ${printable(done.user)} on ${printable(done.name)}`);
    },
  );

  run(
    hosts
      .command(`clear-${secret.verb}`)
      .description(`forget the ${secret.label} stored for HOST's login user`)
      .argument('<HOST>', 'inventory host name'),
    async (ctx, _opts, [name]) => {
      const { host, cleared, fallback } = await ctx.withUnlocked((h) => {
        const found = requireHost(h.hosts, name!);
        const wasCleared = h.hostSecrets.clear(found.id, secret.name);
        return { host: found, cleared: wasCleared, fallback: secret.name === 'sudoPassword' && h.hostSecrets.sudoPassword(found.id) !== undefined };
      });
      if (fallback) ctx.out.note(`note: sudo on ${printable(host.name)} will use its stored login password`);
      ctx.out.result({ host: host.name, cleared }, () =>
        cleared ? `Removed the ${secret.label} of ${printable(host.name)}` : `${printable(host.name)} had no ${secret.label} stored`,
      );
    },
  );
}

function readSecret(ctx: CliContext, host: Host, label: string): Promise<string> {
  if (ctx.io.stdin.isTTY) return ctx.askHidden(label, `${label} of ${host.user} on ${host.name}`, true);
  return readOneLine(ctx.io.stdin as AsyncIterable<string | Buffer>, label);
}
