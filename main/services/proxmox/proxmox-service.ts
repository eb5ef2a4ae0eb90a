/**
 * Proxmox VE for the app and the CLI: endpoints (checked before they are stored), sync into
 * the vault, the synced state, and accepting changes into the inventory. Everything needs an
 * unlocked vault; clients live for one operation and are closed after it.
 */
import { fingerprintSchema, type GuestChange, type PinOutcome, type ProxmoxNode, type ProxmoxNodeFields, type PveGuest, type ProxmoxNodeView } from '../../../shared/domain/proxmox';
import { BulwarkError, validationError } from '../../../shared/errors';
import { z } from '../../../shared/zod';
import type { FleetAccess } from '../access';
import type { HostStore, ProxmoxNodeStore } from '../inventory';
import { targetFromHost } from '../ssh';
import type { DatacenterFirewallParams, FirewallApplyResult, FirewallPlanView } from '../../../shared/domain/proxmox-firewall';
import { applyFirewallPlan, type FirewallRead, readFirewall } from './firewall-apply';
import { planFirewall } from './firewall-plan';
import { readLocalNetwork } from './local-network';
import type { RecordStore } from '../inventory/types';
import { choosePin } from './cluster-ca';
import { type PveAuth, PveClient } from './client';
import { type AcceptOptions, type AcceptResult, GuestHosts } from './guest-hosts';
import { type MissingPrivilege, missingPrivileges, type Permissions } from './privileges';
import { permissionsSchema, versionSchema } from './schemas';
import { type EndpointSync, PveSync, type SyncResult } from './sync';
import { type PresentedCertificate, UnpinnedCertificateError } from './tls-pin';

export interface AddedEndpoint {
  endpoint: ProxmoxNodeView;
  pinned: PinOutcome;
  version: string;
  privileges: Permissions;
  missing: MissingPrivilege[];
}

export interface EndpointState extends ProxmoxNodeView {
  lastSync: EndpointSync | null;
  guests: PveGuest[];
  changes: GuestChange[];
}

type Connectable = Pick<ProxmoxNode, 'name' | 'address' | 'port' | 'auth' | 'user' | 'secret'> & { fingerprint: string | null; caPem?: string | null };

export function clientFor(e: Connectable): PveClient {
  const host = e.address.includes(':') ? `[${e.address}]` : e.address;
  const auth: PveAuth = e.auth === 'token' ? { kind: 'token', tokenId: e.user, secret: e.secret } : { kind: 'password', username: e.user, password: e.secret };
  return new PveClient({ name: e.name, baseUrl: `https://${host}:${e.port}`, pin: e.fingerprint ? { sha256: e.fingerprint, caPem: e.caPem ?? undefined } : null, auth });
}

/** The plan for Bulwark's address as the node sees it (or `self`) and the node's local network. */
async function planFor(c: PveClient, name: string, read: FirewallRead, params: DatacenterFirewallParams, selfOverride: string | undefined) {
  const self = selfOverride ?? c.localAddress;
  if (!self) throw new BulwarkError('INTERNAL', `could not tell this machine's address towards ${name}`);
  const localNetwork = await readLocalNetwork(c);
  return { plan: planFirewall(read, params, { self, localNetwork }), self, localNetwork };
}

async function using<T>(client: PveClient, fn: (c: PveClient) => Promise<T>): Promise<T> {
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

export class ProxmoxService {
  private readonly sync: PveSync;
  private readonly guestHosts: GuestHosts;

  constructor(
    private readonly o: { vault: RecordStore; endpoints: ProxmoxNodeStore; hosts: HostStore; access: FleetAccess },
  ) {
    this.sync = new PveSync(o.vault);
    this.guestHosts = new GuestHosts(o.vault, o.hosts, this.sync);
  }

  /** The errors add() would give for these fields before any network traffic (name, credentials, fingerprint formats; a taken name). */
  validate(fields: unknown): ProxmoxNodeFields {
    return this.o.endpoints.validate(fields);
  }

  /** The certificate an endpoint presents, for the user to compare before trusting it; nothing else is sent. */
  async certificate(name: string, address: string, port: number): Promise<PresentedCertificate> {
    this.requireUnlocked();
    try {
      await using(clientFor({ name, address, port, auth: 'token', user: '', secret: '', fingerprint: null }), (c) => c.get('/version', versionSchema));
    } catch (e) {
      if (e instanceof UnpinnedCertificateError) return e.presented;
      throw e;
    }
    throw new BulwarkError('INTERNAL', `${name} answered without a pinned certificate`);
  }

  /**
   * Stores an endpoint after a real call through the certificate the user confirmed, with its
   * credentials; then pins the cluster CA instead when asked and it issued that certificate.
   */
  async add(fields: unknown): Promise<AddedEndpoint> {
    const checked = this.o.endpoints.validate(fields);
    if (!checked.fingerprint) throw new BulwarkError('TLS_UNPINNED', `Pin ${checked.name}'s certificate first: its SHA-256 fingerprint is needed.`, { fingerprint: 'is required' });
    return using(clientFor(checked), async (c) => {
      const version = await c.get('/version', versionSchema);
      const privileges = await c.get('/access/permissions', permissionsSchema);
      const chosen = await choosePin(c, checked.pin);
      return { endpoint: this.o.endpoints.create(checked, chosen.pin), pinned: chosen.outcome, version: version.version, privileges, missing: missingPrivileges(privileges) };
    });
  }

  /**
   * Pins what the endpoint presents now, after the user compared `fingerprint` with the node's
   * own: checked with a real call with the stored credentials before the old pin is replaced.
   */
  async trust(id: string, fingerprint: string, want: 'ca' | 'certificate'): Promise<{ endpoint: ProxmoxNodeView; pinned: PinOutcome }> {
    const e = this.o.endpoints.getWithSecret(id);
    const parsed = z.object({ fingerprint: fingerprintSchema }).safeParse({ fingerprint });
    if (!parsed.success) throw validationError(parsed.error.issues);
    const sha256 = parsed.data.fingerprint;
    return using(clientFor({ ...e, fingerprint: sha256, caPem: null }), async (c) => {
      await c.get('/version', versionSchema);
      const chosen = await choosePin(c, want);
      return { endpoint: this.o.endpoints.repin(id, chosen.pin), pinned: chosen.outcome };
    });
  }

  async syncEndpoint(id: string, onProgress?: (done: number, total: number) => void): Promise<SyncResult> {
    const e = this.o.endpoints.getWithSecret(id);
    return using(clientFor(e), (c) => this.sync.sync(id, c, onProgress));
  }

  state(): EndpointState[] {
    this.requireUnlocked();
    return this.o.endpoints.list().map((e) => ({ ...e, lastSync: this.sync.lastSync(e.id) ?? null, guests: this.sync.guests(e.id), changes: this.sync.changes(e.id) }));
  }

  changes(): GuestChange[] {
    return this.sync.changes();
  }

  guests(): PveGuest[] {
    return this.sync.guests();
  }

  accept(guestIds: readonly string[], o: AcceptOptions = {}): AcceptResult[] {
    return guestIds.map((id) => this.guestHosts.accept(id, o));
  }

  /**
   * The datacenter firewall step planned against the endpoint as it is now. `self` overrides
   * Bulwark's address as the node sees it (behind a NAT); by default it is this machine's
   * address on the API connection. The node's local network (which Proxmox adds to the
   * management IPSet) counts only when the API shows it unambiguously (local-network.ts).
   */
  async firewallPlan(endpointId: string, params: DatacenterFirewallParams, o: { self?: string | undefined } = {}): Promise<FirewallPlanView> {
    const e = this.o.endpoints.getWithSecret(endpointId);
    return using(clientFor(e), async (c) => {
      const read = await readFirewall(c);
      const { plan, self, localNetwork } = await planFor(c, e.name, read, params, o.self);
      return { ...plan, self, localNetwork, digests: { options: read.optionsDigest, rules: read.rulesDigest } };
    });
  }

  /**
   * Applies the plan the user reviewed (its digests: a change since then stops it), verifying
   * from a fresh API connection and a fresh SSH login to the node's inventory host before the
   * firewall is confirmed; otherwise everything is rolled back (firewall-apply.ts).
   */
  async firewallApply(endpointId: string, params: DatacenterFirewallParams, o: { self?: string | undefined; sshHostId: string; digests: { options: string; rules: string | null }; onStep?: (s: string) => void }): Promise<FirewallApplyResult> {
    const e = this.o.endpoints.getWithSecret(endpointId);
    const sshHost = this.o.hosts.get(o.sshHostId);
    if (!sshHost) throw new BulwarkError('NOT_FOUND', 'Name the inventory host that is this Proxmox node: Bulwark checks that a fresh SSH login still works before it keeps the firewall on.');
    return using(clientFor(e), async (c) => {
      const read = await readFirewall(c);
      if (read.optionsDigest !== o.digests.options || read.rulesDigest !== o.digests.rules) {
        throw new BulwarkError('PVE_DIGEST_MISMATCH', `The datacenter firewall of ${e.name} changed since the plan was made. Nothing was written; plan again.`);
      }
      const { plan } = await planFor(c, e.name, read, params, o.self);
      const result = await applyFirewallPlan(c, plan, read, {
        freshClient: () => clientFor(e),
        sshCheck: async () => {
          const engine = this.o.access.freshEngine();
          try {
            const r = await engine.exec(targetFromHost(sshHost), 'true', { timeoutMs: 15_000 });
            return r.code === 0 ? null : `ssh to ${sshHost.name} ran "true" with exit ${r.code}`;
          } finally {
            await engine.dispose();
          }
        },
        ...(o.onStep ? { onStep: o.onStep } : {}),
      });
      return { ...result, plan };
    });
  }

  private requireUnlocked(): void {
    if (this.o.vault.state() !== 'unlocked') throw new BulwarkError('VAULT_LOCKED', 'The vault is locked.');
  }
}
