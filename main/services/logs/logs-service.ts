/**
 * Live security logs for the app and the CLI: follows inventory hosts, stores what arrives in
 * the vault, and hands batches to whoever shows them. Everything stops when the vault locks
 * (the followers' credentials and the history's key are gone); what was received is flushed first.
 */
import { BulwarkError } from '../../../shared/errors';
import type { Host } from '../../../shared/domain/host';
import type { LogEvent } from '../../../shared/domain/logs';
import type { FleetAccess } from '../access';
import type { HostStore } from '../inventory';
import { targetFromHost } from '../ssh';
import type { Vault } from '../vault';
import { type BanAction, type BanActionResult, runBanAction } from './ban-actions';
import { type HostStreamStatus, LogCollector } from './collector';
import { type Alert, AlertEngine, type AlertRules, DEFAULT_ALERT_RULES, MAX_KNOWN_PER_HOST } from './alerts';
import { DEFAULT_RETENTION, type LogQuery, LogEventStore, type Retention, type StoredEvent } from './event-store';

/** What the user chose: how much history to keep and which events notify. */
export interface LogSettings {
  retention: Retention;
  alerts: AlertRules;
}
const SETTINGS_KIND = 'log-settings';
const SETTINGS_ID = 'settings';

export interface LogsServiceOptions {
  vault: Vault;
  hosts: HostStore;
  access: FleetAccess;
  onEvents?: (events: StoredEvent[]) => void;
  onStatus?: (s: HostStreamStatus) => void;
  /** Events worth a desktop notification (see alerts.ts). */
  onAlert?: (a: Alert) => void;
  /** How often received events reach the vault. */
  flushMs?: number;
}

export class LogsService {
  private collector: LogCollector | undefined;
  private store: LogEventStore | undefined;
  private alerts: AlertEngine | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: LogsServiceOptions) {
    this.unsubscribe = o.vault.onStateChange((state) => {
      if (state !== 'unlocked') void this.stopAll();
    });
  }

  /** Starts following these hosts (already followed ones are left as they are). */
  follow(hosts: readonly Host[]): HostStreamStatus[] {
    const { collector, store } = this.open();
    for (const h of hosts) {
      collector.follow({ name: h.name, target: targetFromHost(h), sudoPassword: this.o.access.sudoPasswordFor(h), positions: store.positions(h.name) });
    }
    return collector.statuses();
  }

  async unfollow(hosts: readonly Pick<Host, 'name'>[]): Promise<HostStreamStatus[]> {
    if (!this.collector) return [];
    for (const h of hosts) await this.collector.unfollow(h.name);
    this.store?.flush();
    return this.collector.statuses();
  }

  statuses(): HostStreamStatus[] {
    return this.collector?.statuses() ?? [];
  }

  query(q: LogQuery): StoredEvent[] {
    return this.open().store.query(q);
  }

  settings(): LogSettings {
    if (this.o.vault.state() !== 'unlocked') throw new BulwarkError('VAULT_LOCKED', 'The vault is locked.');
    const saved = this.o.vault.readOne<Partial<LogSettings>>(SETTINGS_KIND, SETTINGS_ID);
    return { retention: { ...DEFAULT_RETENTION, ...saved?.retention }, alerts: { ...DEFAULT_ALERT_RULES, ...saved?.alerts } };
  }

  /** Checked (retention bounds), applied to the running store and alerts, then saved. */
  setSettings(next: LogSettings): LogSettings {
    const { store } = this.open();
    store.setRetention(next.retention);
    if (this.alerts) this.alerts.rules = next.alerts;
    this.o.vault.put(SETTINGS_KIND, SETTINGS_ID, next);
    return this.settings();
  }

  async banAction(h: Host, o: { action: BanAction; jail: string; ip: string }): Promise<BanActionResult> {
    this.open();
    return runBanAction(this.o.access.engine(), targetFromHost(h), { ...o, sudoPassword: this.o.access.sudoPasswordFor(h) });
  }

  async stopAll(): Promise<void> {
    const c = this.collector;
    this.collector = undefined;
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = undefined;
    if (c) await c.close();
    // the vault may already be locked: then the last second of events is gone with its key
    if (this.o.vault.state() === 'unlocked') this.store?.flush();
    this.store = undefined;
    this.alerts = undefined;
  }

  async dispose(): Promise<void> {
    this.unsubscribe();
    await this.stopAll();
  }

  private open(): { collector: LogCollector; store: LogEventStore } {
    if (this.o.vault.state() !== 'unlocked') throw new BulwarkError('VAULT_LOCKED', 'The vault is locked.');
    if (!this.store) {
      const settings = this.settings();
      this.store = new LogEventStore(this.o.vault, { retention: settings.retention });
      this.alerts = new AlertEngine(settings.alerts, this.store.knownLogins(MAX_KNOWN_PER_HOST));
    }
    const store = this.store;
    const alerts = this.alerts!;
    if (!this.collector) {
      this.collector = new LogCollector({
        engine: this.o.access.streamEngine(),
        onBatch: (events: LogEvent[]) => {
          const at = Date.now();
          store.append(events, at);
          const stored = events.map((e) => ({ ...e, at }));
          this.o.onEvents?.(stored);
          for (const a of alerts.feed(stored)) this.o.onAlert?.(a);
        },
        onStatus: (s) => this.o.onStatus?.(s),
        onPosition: (host, source, position) => store.setPosition(host, source, position),
      });
      this.flushTimer = setInterval(() => {
        if (this.o.vault.state() !== 'unlocked') return;
        // what the collector still holds first: a stored position is never ahead of stored events
        this.collector?.flush();
        store.flush();
      }, this.o.flushMs ?? 1_000);
      this.flushTimer.unref();
    }
    return { collector: this.collector, store };
  }
}
