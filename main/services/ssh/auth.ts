/**
 * The authentication plan for one hop: vault keys first, then the ssh-agent, then the password
 * (as "password", then as a single keyboard-interactive prompt). Credentials are asked for only
 * once the host key has been verified, and only methods the server still accepts are tried.
 */
import type { AnyAuthMethod, KeyboardInteractiveCallback, ParsedKey, Prompt } from 'ssh2';
import { utils } from 'ssh2';
import { BulwarkError } from '../../../shared/errors';
import { type Hop, describeHop, sshError } from './errors';

export interface KeyCredential {
  privateKey: string | Buffer;
  passphrase?: string;
  /** Shown in reports ("which key worked"); never the key itself. */
  label?: string;
}

export interface Credentials {
  /** Private keys, tried in order (e.g. from the keys service's vault records). */
  keys?: KeyCredential[];
  /** true: the agent at $SSH_AUTH_SOCK; a string: that agent socket. */
  agent?: boolean | string;
  password?: string;
}

/** Supplies credentials for a hop; called only after the hop's host key was verified. */
export type CredentialProvider = (hop: Hop) => Credentials | undefined | Promise<Credentials | undefined>;

export type AuthMethodName = 'publickey' | 'agent' | 'password' | 'keyboard-interactive';

/** The order methods are tried in. */
export const AUTH_ORDER: readonly AuthMethodName[] = Object.freeze(['publickey', 'agent', 'password', 'keyboard-interactive']);

export interface AuthResult {
  method: AuthMethodName;
  /** The label of the key that worked (publickey only). */
  key?: string;
}

interface Attempt {
  method: AuthMethodName;
  label: string;
  auth: AnyAuthMethod;
}

type Next = (auth: AnyAuthMethod | false) => void;

export class AuthPlan {
  private queue: Attempt[] | undefined;
  private current: Attempt | undefined;
  private readonly tried: string[] = [];
  private readonly notes: string[] = [];
  private serverMethods: string[] | null = null;
  private providerError: BulwarkError | undefined;

  constructor(
    private readonly hop: Hop,
    private readonly provider: CredentialProvider,
  ) {}

  /** ssh2's authHandler(methodsLeft, partialSuccess, next). */
  readonly handler = (methodsLeft: string[] | null, _partial: boolean | null, next: Next): void => {
    if (methodsLeft) this.serverMethods = methodsLeft;
    void this.pick(methodsLeft).then((a) => next(a ?? false));
  };

  /** A problem worth reporting if authentication fails in the end. */
  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  succeeded(): AuthResult {
    const c = this.current;
    if (!c) return { method: 'publickey' };
    return c.method === 'publickey' ? { method: c.method, key: c.label } : { method: c.method };
  }

  /** The error to report when ssh2 gave up ("All configured authentication methods failed"). */
  failure(): BulwarkError {
    if (this.providerError) return this.providerError;
    const who = `${this.hop.user} on ${describeHop(this.hop)}`;
    const parts: string[] = [];
    if (this.tried.length) parts.push(`tried ${this.tried.join(', ')}`);
    else parts.push('no usable credentials (give a key, the agent or a password)');
    if (this.serverMethods) parts.push(`the server accepts ${this.serverMethods.join(', ') || 'nothing'}`);
    parts.push(...this.notes);
    return sshError('SSH_AUTH_FAILED', this.hop, `Authentication as ${who} failed: ${parts.join('; ')}`, {
      tried: this.tried.join(','),
    });
  }

  private async pick(methodsLeft: string[] | null): Promise<AnyAuthMethod | undefined> {
    if (!this.queue) {
      try {
        this.queue = this.build(await this.provider(this.hop));
      } catch (e) {
        this.providerError =
          e instanceof BulwarkError ? e : sshError('SSH_AUTH_FAILED', this.hop, `Credentials for ${describeHop(this.hop)} could not be loaded`);
        this.queue = [];
      }
    }
    while (this.queue.length) {
      const a = this.queue.shift()!;
      const wire = a.method === 'agent' ? 'publickey' : a.method;
      if (methodsLeft && !methodsLeft.includes(wire)) continue;
      this.current = a;
      this.tried.push(a.label);
      return a.auth;
    }
    this.current = undefined;
    return undefined;
  }

  private build(creds: Credentials | undefined): Attempt[] {
    const username = this.hop.user;
    const out: Attempt[] = [];
    (creds?.keys ?? []).forEach((k, i) => {
      const label = k.label ?? `key ${i + 1}`;
      const parsed = readKey(k);
      if (typeof parsed === 'string') this.notes.push(`${label}: ${parsed}`);
      else out.push({ method: 'publickey', label: `publickey (${label})`, auth: { type: 'publickey', username, key: parsed } });
    });
    if (creds?.agent) {
      const sock = typeof creds.agent === 'string' ? creds.agent : process.env.SSH_AUTH_SOCK;
      if (sock) out.push({ method: 'agent', label: 'agent', auth: { type: 'agent', username, agent: sock } });
      else this.notes.push('no SSH agent (SSH_AUTH_SOCK is not set)');
    }
    const password = creds?.password;
    if (typeof password === 'string' && password !== '') {
      out.push({ method: 'password', label: 'password', auth: { type: 'password', username, password } });
      const prompt = (_n: string, _i: string, _l: string, prompts: Prompt[], finish: KeyboardInteractiveCallback): void => {
        // Answer only the usual single hidden "Password:" prompt; anything else (OTP) is not ours.
        finish(prompts.length === 1 && !prompts[0]!.echo ? [password] : prompts.map(() => ''));
      };
      out.push({ method: 'keyboard-interactive', label: 'keyboard-interactive', auth: { type: 'keyboard-interactive', username, prompt } });
    }
    return out;
  }
}

/** A parsed private key, or why it cannot be used (never echoing key material). */
function readKey(k: KeyCredential): ParsedKey | string {
  if (!k || (typeof k.privateKey !== 'string' && !Buffer.isBuffer(k.privateKey))) return 'no private key data';
  const parsed = utils.parseKey(k.privateKey, k.passphrase);
  if (parsed instanceof Error) {
    return /passphrase|decrypt|bad decrypt/i.test(parsed.message) ? 'wrong or missing passphrase' : 'unsupported or malformed private key';
  }
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
  if (!key || !key.isPrivateKey()) return 'not a private key';
  return key;
}
