/**
 * Control 4: strict sshd settings. Modern key exchange, ciphers and MACs (ssh-audit's and
 * dev-sec's lists for OpenSSH 9), ed25519 and RSA host keys only, DH groups of 3072 bits and
 * more, MaxAuthTries 4 (2 locks out agent users with several keys), short login grace, no X11,
 * forwarding as parameters, keepalives (ClientAlive, not TCP), no compression, at most 4 sessions
 * per connection, and LogLevel VERBOSE so logs name key fingerprints.
 *
 * Two guards keep Bulwark's own access: the lists must keep an algorithm of each kind the
 * engine speaks (ssh2 has no sntrup761/mlkem768: a KEX list of only those is refused), and the
 * host key types kept must include one Bulwark has pinned for the host.
 */
import { z } from '../../../../shared/zod';
import { engineAccessProblems } from '../../ssh/algorithms';
import { type Control, type ControlContext, compareSshd, emptyPlan } from '../control';

const ALGO = /^[a-z0-9][a-z0-9@.+-]{0,99}$/;
const algoList = z.array(z.string().regex(ALGO, 'is not an algorithm name')).min(1).max(30);

export const HOST_KEY_FILES = { ed25519: '/etc/ssh/ssh_host_ed25519_key', rsa: '/etc/ssh/ssh_host_rsa_key', ecdsa: '/etc/ssh/ssh_host_ecdsa_key' } as const;
const KEY_TYPE_OF: Record<keyof typeof HOST_KEY_FILES, string> = { ed25519: 'ssh-ed25519', rsa: 'ssh-rsa', ecdsa: 'ecdsa-sha2-nistp256' };

export const sshdStrictParams = z
  .object({
    kex: algoList.default([
      'sntrup761x25519-sha512@openssh.com',
      'curve25519-sha256',
      'curve25519-sha256@libssh.org',
      'diffie-hellman-group18-sha512',
      'diffie-hellman-group-exchange-sha256',
      'diffie-hellman-group16-sha512',
    ]),
    ciphers: algoList.default(['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-gcm@openssh.com', 'aes256-ctr', 'aes192-ctr', 'aes128-ctr']),
    macs: algoList.default(['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'umac-128-etm@openssh.com']),
    hostKeyAlgorithms: algoList.default([
      'sk-ssh-ed25519-cert-v01@openssh.com',
      'ssh-ed25519-cert-v01@openssh.com',
      'rsa-sha2-512-cert-v01@openssh.com',
      'rsa-sha2-256-cert-v01@openssh.com',
      'sk-ssh-ed25519@openssh.com',
      'ssh-ed25519',
      'rsa-sha2-512',
      'rsa-sha2-256',
    ]),
    hostKeys: z.array(z.enum(['ed25519', 'rsa', 'ecdsa'])).min(1).default(['ed25519', 'rsa']),
    removeSmallModuli: z.boolean().default(true),
    maxAuthTries: z.number().int().min(3).max(10).default(4),
    loginGraceTime: z.number().int().min(10).max(600).default(30),
    clientAliveInterval: z.number().int().min(0).max(3600).default(300),
    clientAliveCountMax: z.number().int().min(0).max(10).default(2),
    /** Bulwark's engine runs up to 2 sessions at once on one connection (maxPerHost): fewer would refuse its own parallel work. */
    maxSessions: z.number().int().min(2, 'must be at least 2: Bulwark runs up to 2 sessions at once on one host').max(10).default(2),
    allowAgentForwarding: z.boolean().default(false),
    allowTcpForwarding: z.boolean().default(false),
  })
  .strict();
export type SshdStrictParams = z.output<typeof sshdStrictParams>;

const yn = (b: boolean) => (b ? 'yes' : 'no');

/**
 * ProxyJump opens direct-tcpip channels, which `AllowTcpForwarding no` refuses: on a host other
 * inventory hosts jump through, "off" becomes `local` (what ProxyJump needs; remote forwarding
 * stays off), or every host behind it would be cut off without its own verification noticing.
 */
function tcpForwarding(p: SshdStrictParams, jumpFor: readonly string[]): string {
  if (p.allowTcpForwarding) return 'yes';
  return jumpFor.length ? 'local' : 'no';
}

function wanted(p: SshdStrictParams, jumpFor: readonly string[] = []): Map<string, string> {
  return new Map([
    ['KexAlgorithms', p.kex.join(',')],
    ['Ciphers', p.ciphers.join(',')],
    ['MACs', p.macs.join(',')],
    ['HostKeyAlgorithms', p.hostKeyAlgorithms.join(',')],
    ['MaxAuthTries', String(p.maxAuthTries)],
    ['LoginGraceTime', String(p.loginGraceTime)],
    ['ClientAliveInterval', String(p.clientAliveInterval)],
    ['ClientAliveCountMax', String(p.clientAliveCountMax)],
    // the encrypted ClientAlive probes replace TCP keepalives, which can be spoofed; with
    // ClientAliveInterval 0 nothing else would notice a dead peer, so TCP's stay on then
    ['TCPKeepAlive', p.clientAliveInterval > 0 ? 'no' : 'yes'],
    ['MaxSessions', String(p.maxSessions)],
    ['Compression', 'no'],
    ['X11Forwarding', 'no'],
    ['AllowAgentForwarding', yn(p.allowAgentForwarding)],
    ['AllowTcpForwarding', tcpForwarding(p, jumpFor)],
    ['LogLevel', 'VERBOSE'],
  ]);
}

/** sshd -T spells some values differently from the config ("allowtcpforwarding yes" vs "all"). */
function normal(keyword: string, v: string): string {
  const k = keyword.toLowerCase();
  if (k === 'allowtcpforwarding' && (v === 'all' || v === 'yes')) return 'yes';
  return k === 'loglevel' ? v.toUpperCase() : v;
}

/** The drop-in settings of this control (also what the Ansible export writes). */
export function sshdStrictSettings(p: SshdStrictParams, jumpFor: readonly string[] = []): Map<string, string> {
  const settings = wanted(p, jumpFor);
  // HostKey accumulates: one line per file (renderDropin splits on newlines)
  settings.set('HostKey', p.hostKeys.map((t) => HOST_KEY_FILES[t]).join('\n'));
  return settings;
}

/** Keeps the groups of 3072 bits and more (field 5 is bits - 1); the Ansible export runs it too. */
export const MODULI_FILTER = "awk '/^#/ || $5 >= 3071' /etc/ssh/moduli > /etc/ssh/moduli.bulwark && chmod 644 /etc/ssh/moduli.bulwark && mv -f /etc/ssh/moduli.bulwark /etc/ssh/moduli";

export const sshdStrict: Control<SshdStrictParams> = {
  id: 'sshd-strict',
  title: 'sshd strict settings: modern crypto, tight limits, verbose logs',
  reason: 'Old key exchanges and ciphers have known weaknesses; short limits and verbose logs make attacks slower and visible.',
  params: sshdStrictParams as unknown as z.ZodType<SshdStrictParams>,
  kind: 'change',
  check({ facts, login }, p) {
    if (facts.sshd.testError) return { status: 'unknown', evidence: [`sshd -T failed: ${facts.sshd.testError}`] };
    const compared = compareSshd(facts, wanted(p, login.jumpFor), normal);
    const evidence = compared.evidence;
    let drift = compared.drift;
    const keys = facts.sshd.effective.get('hostkey') ?? [];
    const wantKeys = p.hostKeys.map((t) => HOST_KEY_FILES[t]);
    const keysOk = keys.length === wantKeys.length && wantKeys.every((k) => keys.includes(k));
    if (!keysOk) drift = true;
    evidence.push(`host keys: ${keys.join(', ') || '(none shown)'}${keysOk ? '' : ` (want ${wantKeys.join(', ')})`}`);
    if (p.removeSmallModuli && facts.moduli) {
      if (facts.moduli.small > 0) drift = true;
      evidence.push(`/etc/ssh/moduli: ${facts.moduli.small} groups under 3072 bits`);
    }
    return { status: drift ? 'drift' : 'compliant', evidence };
  },
  plan(ctx: ControlContext, p) {
    const plan = emptyPlan();
    const problems = engineAccessProblems({ kex: p.kex, ciphers: p.ciphers, macs: p.macs, hostKeyAlgorithms: p.hostKeyAlgorithms });
    if (problems.length) {
      return { ...plan, refused: { reason: `Bulwark could not connect to this host afterwards: ${problems.join('; ')}.`, fix: 'Keep curve25519-sha256 (and an AES-GCM or CTR cipher) in the lists.' } };
    }
    const kept = p.hostKeys.map((t) => KEY_TYPE_OF[t]);
    const pinned = ctx.login.pinnedKeyTypes;
    if (pinned.length && !pinned.some((t) => kept.includes(t) || (t === 'ssh-rsa' && kept.includes('ssh-rsa')) || (t.startsWith('ecdsa-') && p.hostKeys.includes('ecdsa')))) {
      return {
        ...plan,
        refused: {
          reason: `Bulwark has pinned only a ${pinned.join('/')} host key for this host, and the host would stop presenting it: every later connection would look like a changed host key.`,
          fix: `Keep that host key type, or pin the host's ${p.hostKeys[0]} key first (check it out of band, then trust it).`,
        },
      };
    }
    const jumpFor = ctx.login.jumpFor ?? [];
    plan.sshd = sshdStrictSettings(p, jumpFor);
    if (!p.allowTcpForwarding && jumpFor.length) {
      plan.notes.push(`AllowTcpForwarding local, not no: ${jumpFor.join(', ')} reach SSH through this host (ProxyJump needs local forwarding).`);
    }
    if (p.removeSmallModuli && ctx.facts.moduli && ctx.facts.moduli.small > 0) {
      if (ctx.facts.moduli.large === 0) plan.notes.push('/etc/ssh/moduli has no group of 3072 bits or more: it was left alone (emptying it would disable group exchange).');
      else {
        plan.commands.push(MODULI_FILTER);
        plan.touch.push('/etc/ssh/moduli');
      }
    }
    plan.cutsAccess = true;
    return plan;
  },
};
