/**
 * One sshd message (the text after `sshd[pid]: `, or a journald MESSAGE) into fields. Covers
 * sshd, and OpenSSH 9.8+'s sshd-session and sshd-auth, which log the same messages.
 *
 * The user name is the attacker's to choose and may contain spaces, quotes and whole fake
 * "from 1.2.3.4 port 22 ssh2" phrases. sshd writes the remote address AFTER the user, so the
 * address is always taken from the right: the last "from A port P" whose remainder is what sshd
 * itself appends there.
 */
import { normalizeRemote } from './address';
import { OTHER, pamPairs, portNumber, type MessageFields } from './fields';

/** Solaris' message ids and kernel-style uptime stamps that some relays put before the message. */
const NOISE_PREFIX = /^(?:\[ID \d+ [\w.]+\] |kernel: ?\[ *\d+\.\d+\]:? ?)/;
const LEVEL_PREFIX = /^(?:error|fatal|warning): /;
/** Added to what the unprivileged pre-authentication child logs. */
const PREAUTH_SUFFIX = /\s*\[preauth\]\s*$/;

interface Remote {
  ip: string;
  port: number | null;
  /** The text before " from ": the user part. */
  head: string;
  info: string | undefined;
}

/** What sshd appends after "sshN: ": a key ("ED25519 SHA256:…", hostbased adds client user/host) or ssh1's ruser. */
function isServerInfo(info: string | undefined, protocol: string | undefined): boolean {
  if (info === undefined) return true;
  if (protocol === 'ssh1' && info.startsWith('ruser ')) return true;
  return /^[A-Z][A-Z0-9_-]*(?:@[\w.-]+)? \S/.test(info);
}

/** Current sshd always writes " port P sshN"; only old versions left parts out. */
const FROM_TAIL_FULL = /^ from (\S+) port (\d+) (ssh\d)(?:: (.*))?$/s;
const FROM_TAIL_OLD = /^ from (\S+)(?: port (\d+))?(?: (ssh\d?))?(?:: (.*))?$/s;

/**
 * Splits "USER from A port P ssh2[: info]" at the rightmost " from " that ends the way sshd ends
 * it, preferring the full modern ending: ssh1's free-text "ruser" info may hold a bare "from A".
 */
function splitFrom(text: string): Remote | null {
  for (const tail of [FROM_TAIL_FULL, FROM_TAIL_OLD]) {
    for (let at = text.lastIndexOf(' from '); at !== -1; at = at === 0 ? -1 : text.lastIndexOf(' from ', at - 1)) {
      const m = tail.exec(text.slice(at));
      if (!m || !isServerInfo(m[4], m[3])) continue;
      const ip = normalizeRemote(m[1]!);
      if (ip === null) continue;
      return { ip, port: portNumber(m[2]), head: text.slice(0, at), info: m[4] };
    }
  }
  return null;
}

function fingerprintOf(info: string | undefined): string | null {
  if (!info) return null;
  const m = /(?:^|\s)((?:SHA256|MD5):[^\s,]+|[0-9a-f]{2}(?::[0-9a-f]{2}){15})/.exec(info);
  return m ? m[1]! : null;
}

/** "invalid user X" / "illegal user X" / "X"; sshd's "<invalid username>" placeholder is no name. */
function userOf(head: string): string | null {
  const user = /^(?:invalid|illegal) user (.*)$/s.exec(head)?.[1] ?? head;
  return user === '<invalid username>' ? null : user;
}

function authResult(verdict: string, method: string, rest: string): MessageFields {
  const remote = splitFrom(rest);
  const user = userOf(remote ? remote.head : rest);
  const fields = {
    ip: remote?.ip ?? null,
    port: remote?.port ?? null,
    user,
    method,
    keyFingerprint: fingerprintOf(remote?.info),
  };
  const keyBased = method === 'publickey' || method === 'hostbased';
  if (verdict === 'Failed') return { kind: keyBased ? 'auth.failed_publickey' : 'auth.failed_password', ...fields };
  if (verdict === 'Accepted') {
    if (keyBased) return { kind: 'auth.accepted_publickey', ...fields };
    if (method === 'password') return { kind: 'auth.accepted_password', ...fields };
    if (method.startsWith('keyboard-interactive')) return { kind: 'auth.accepted_keyboard', ...fields };
  }
  // Postponed/Partial steps, and logins by methods with no kind of their own (gssapi-with-mic)
  return { kind: 'other', ...fields };
}

type Rule = [RegExp, (m: RegExpExecArray, preauth: boolean) => MessageFields];

const remoteFields = (ipText: string | undefined, portText?: string): Pick<MessageFields, 'ip' | 'port'> => ({
  ip: ipText === undefined ? null : normalizeRemote(ipText),
  port: portNumber(portText),
});

/** "user X" is an authenticated session; "authenticating user" and "invalid user" are not yet. */
const disconnectKind = (who: string | undefined): MessageFields['kind'] => (who === 'user' ? 'other' : 'auth.preauth_disconnect');

const RULES: Rule[] = [
  [/^(Accepted|Failed|Postponed|Partial) (\S+) for (.*)$/s, (m) => authResult(m[1]!, m[2]!, m[3]!)],
  [/^(?:Invalid|Illegal) user (.*) from (\S+?)(?: port (\d+))?$/s, (m) => ({ kind: 'auth.invalid_user', user: m[1]!, ...remoteFields(m[2], m[3]) })],
  [/^User (.+) from (\S+) not allowed because (.+)$/s, (m) => ({ kind: 'auth.invalid_user', user: m[1]!, ...remoteFields(m[2]) })],
  [/^User (\S+) not allowed because (.+)$/s, (m) => ({ kind: 'auth.invalid_user', user: m[1]! })],
  [/^ROOT LOGIN REFUSED FROM (\S+?)(?: port (\d+))?$/, (m) => ({ kind: 'auth.invalid_user', user: 'root', ...remoteFields(m[1], m[2]) })],
  [/^PAM: User not known to the underlying authentication module for (?:illegal|invalid) user (.*) from (\S+)$/s,
    (m) => ({ kind: 'auth.invalid_user', user: m[1]!, ...remoteFields(m[2]) })],
  // keyboard-interactive through PAM: sshd logs no "Failed keyboard-interactive/pam" line for these
  [/^PAM: [Aa]uthentication (?:failure|error) for (?:(?:illegal|invalid) user )?(.*) from (\S+?)(?: via \S+)?$/s,
    (m) => ({ kind: 'auth.failed_password', user: m[1]!, method: 'keyboard-interactive/pam', ...remoteFields(m[2]) })],
  [/^maximum authentication attempts exceeded for (.*)$/s, (m) => {
    const remote = splitFrom(m[1]!);
    return { kind: 'auth.max_auth_tries', user: userOf(remote ? remote.head : m[1]!), ip: remote?.ip ?? null, port: remote?.port ?? null };
  }],
  // before OpenSSH 7.x this line was the only trace of MaxAuthTries; later it follows the one above
  [/^Disconnecting: Too many authentication failures(?: for (?:(?:invalid|illegal) user )?(.+))?$/s, (m) => ({ kind: 'auth.max_auth_tries', user: m[1] ?? null })],
  [/^Disconnecting (?:(authenticating user|invalid user|user) (.*?) )?(\S+) port (\d+): /s,
    (m) => ({ kind: disconnectKind(m[1]), user: m[2] ?? null, ...remoteFields(m[3], m[4]) })],
  [/^(?:Connection (?:closed|reset) by|Disconnected from) (?:(authenticating user|invalid user|user) (.*) )?(\S+) port (\d+)$/s,
    (m) => ({ kind: disconnectKind(m[1]), user: m[2] ?? null, ...remoteFields(m[3], m[4]) })],
  [/^(?:Connection (?:closed|reset) by|Disconnected from) (\S+)$/, (m) => ({ kind: 'auth.preauth_disconnect', ...remoteFields(m[1]) })],
  // reason 11 without [preauth] is a client logging out; anything else ended before authentication
  [/^Received disconnect from (\S+?)(?: port (\d+))?: ?(\d+): /s,
    (m, preauth) => ({ kind: preauth || m[3] !== '11' ? 'auth.preauth_disconnect' : 'other', ...remoteFields(m[1], m[2]) })],
  [/^Did not receive identification string from (\S+?)(?: port (\d+))?$/, (m) => ({ kind: 'auth.preauth_disconnect', ...remoteFields(m[1], m[2]) })],
  [/^Bad protocol version identification .* from (\S+?)(?: port (\d+))?$/s, (m) => ({ kind: 'auth.preauth_disconnect', ...remoteFields(m[1], m[2]) })],
  [/^(?:banner exchange|ssh_dispatch_run_fatal): Connection from (?:(?:authenticating|invalid) user .*? )?(\S+) port (\d+): /s,
    (m) => ({ kind: 'auth.preauth_disconnect', ...remoteFields(m[1], m[2]) })],
  [/^Unable to negotiate with (\S+) port (\d+): /, (m) => ({ kind: 'auth.preauth_disconnect', ...remoteFields(m[1], m[2]) })],
  [/^Timeout before authentication for (?:connection from )?(\S+?)(?: port (\d+))?(?: to \S+, pid = \d+)?$/,
    (m) => ({ kind: 'auth.preauth_disconnect', ...remoteFields(m[1], m[2]) })],
  [/^refused connect from \S*? \((\S+)\)$/, (m) => ({ kind: 'auth.preauth_disconnect', ...remoteFields(m[1]) })],
  // no address in these: the session memory (sessions.ts) fills it from the same pid's earlier lines
  [/^(?:kex_exchange_identification: |Unable to negotiate a key exchange method|no matching \S+ found|Read from socket failed: |Protocol major versions differ)/,
    () => ({ kind: 'auth.preauth_disconnect' })],
  // the same failure PAM reports before sshd's own "Failed password": kept, but not counted twice
  [/^pam_unix\(sshd:auth\): authentication failure; (.*)$/s, (m) => {
    const p = pamPairs(m[1]!);
    return { kind: 'other', user: p.user ?? p.ruser ?? null, ...remoteFields(p.rhost) };
  }],
  [/^pam_unix\(sshd[\w-]*:session\): session (opened|closed) for user ([^\s(]+)/,
    (m) => ({ kind: m[1] === 'opened' ? 'auth.session_opened' : 'auth.session_closed', user: m[2]! })],
  [/^Connection from (\S+) port (\d+)(?: on |$)/, (m) => ({ kind: 'other', ...remoteFields(m[1], m[2]) })],
  [/^Close session: user (\S+) from (\S+) port (\d+)/, (m) => ({ kind: 'other', user: m[1]!, ...remoteFields(m[2], m[3]) })],
  [/^Accepted key \S+ (\S+) found at /, (m) => ({ kind: 'other', keyFingerprint: m[1]! })],
  // some patched sshds log "SSH: Server;Ltype: Version;Remote: 198.51.100.1-40022;..."
  [/^SSH: Server;Ltype: \w+;Remote: ([^;]+)-(\d+);/, (m) => ({ kind: 'other', ...remoteFields(m[1], m[2]) })],
];

export function parseSshdMessage(message: string): MessageFields {
  let text = message.replace(NOISE_PREFIX, '').replace(LEVEL_PREFIX, '');
  const preauth = PREAUTH_SUFFIX.test(text);
  text = text.replace(PREAUTH_SUFFIX, '').trimEnd();
  for (const [pattern, read] of RULES) {
    const m = pattern.exec(text);
    if (m) return read(m, preauth);
  }
  return OTHER;
}
