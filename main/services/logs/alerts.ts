/**
 * Which events deserve a desktop notification, each rule switchable:
 * - a successful login to a host from an address never seen logging in to that host before;
 * - any root login;
 * - a ban storm: more than N fail2ban bans (all hosts together) within a minute, told once per
 *   storm (not again until a quiet minute has passed).
 * The addresses seen per host are kept by the caller (the vault), bounded per host.
 */
import type { LogEventKind } from '../../../shared/domain/logs';
import type { StoredEvent } from './event-store';

export interface AlertRules {
  newAddressLogin: boolean;
  rootLogin: boolean;
  banStorm: boolean;
  /** Bans per minute above which it is a storm. */
  banStormPerMinute: number;
}
export const DEFAULT_ALERT_RULES: AlertRules = { newAddressLogin: true, rootLogin: true, banStorm: true, banStormPerMinute: 20 };

export type AlertRule = 'new-address-login' | 'root-login' | 'ban-storm';

export interface Alert {
  rule: AlertRule;
  title: string;
  body: string;
  host: string | null;
  at: number;
}

const ACCEPTED: ReadonlySet<LogEventKind> = new Set(['auth.accepted_password', 'auth.accepted_publickey', 'auth.accepted_keyboard']);
/** Addresses remembered per host; beyond it the oldest are forgotten (and would alert again). */
export const MAX_KNOWN_PER_HOST = 2_000;

export interface KnownLogins {
  has(host: string, ip: string): boolean;
  add(host: string, ip: string): void;
}

export class AlertEngine {
  private bans: number[] = [];
  private storming = false;

  constructor(
    public rules: AlertRules,
    private readonly known: KnownLogins,
  ) {}

  feed(events: readonly StoredEvent[]): Alert[] {
    const out: Alert[] = [];
    for (const e of events) {
      if (ACCEPTED.has(e.kind)) {
        const how = e.method ?? e.kind.slice('auth.accepted_'.length);
        if (this.rules.rootLogin && e.user === 'root') {
          out.push({ rule: 'root-login', title: `Root login on ${e.host}`, body: `root logged in by ${how}${e.ip ? ` from ${e.ip}` : ''}`, host: e.host, at: e.at });
        }
        if (e.ip && !this.known.has(e.host, e.ip)) {
          this.known.add(e.host, e.ip);
          if (this.rules.newAddressLogin) {
            out.push({ rule: 'new-address-login', title: `New login address on ${e.host}`, body: `${e.user ?? 'someone'} logged in by ${how} from ${e.ip}, never seen logging in there before`, host: e.host, at: e.at });
          }
        }
      }
      if (e.kind === 'f2b.ban') {
        this.bans.push(e.at);
        const storm = this.stormAt(e.at);
        if (storm && !this.storming && this.rules.banStorm) {
          out.push({ rule: 'ban-storm', title: 'Ban storm', body: `${this.bans.length} addresses banned in the last minute across your hosts`, host: null, at: e.at });
        }
        this.storming = storm;
      }
    }
    return out;
  }

  private stormAt(now: number): boolean {
    while (this.bans.length && this.bans[0]! < now - 60_000) this.bans.shift();
    return this.bans.length > this.rules.banStormPerMinute;
  }
}
