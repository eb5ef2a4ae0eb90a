/**
 * THE IPC contract. Every request channel is `domain:verb` with a zod request and response
 * schema; every event (main -> renderer) likewise. Types are inferred from the schemas, the
 * router parses both directions, and the preload builds window.bulwark from this table.
 */
import { z } from './zod';
import { banActionRequestSchema, banActionResultSchema, logAlertSchema, logQuerySchema, logSettingsSchema, logStreamStatusSchema, storedLogEventSchema } from './domain/logs';
import { errorDataSchema } from './errors';
import { hostInputSchema, hostSchema, importReportSchema } from './domain/host';
import {
  controlCatalogEntrySchema,
  profileIdSchema,
  profileInputSchema,
  profileViewSchema,
  runListEntrySchema,
  runProgressSchema,
  runReplySchema,
  runRequestSchema,
  textFileSchema,
} from './domain/hardening';
import { acceptResultSchema, addedEndpointSchema, endpointAddressSchema, endpointStateSchema, pinOutcomeSchema, presentedCertificateSchema, proxmoxNodeInputSchema, proxmoxNodeViewSchema, syncResultSchema } from './domain/proxmox';
import { firewallApplyResultSchema, firewallParamsSchema, firewallPlanViewSchema } from './domain/proxmox-firewall';
import { keyPassphrasesSchema, sshConfigImportReportSchema } from './domain/ssh-config-import';
import {
  auditResultSchema,
  deployResultSchema,
  exportPrivateOptionsSchema,
  generateKeyInputSchema,
  hostKeyProbeSchema,
  importKeyInputSchema,
  jobProgressSchema,
  revokeResultSchema,
  rotateResultSchema,
  sshKeyViewSchema,
} from './domain/keys';
import { lockReasonSchema, passphraseSchema, recoveryKeySchema, vaultStateSchema, vaultStatusSchema } from './domain/vault';

const none = z.object({}).strict();
const idSchema = z.string().min(1).max(64);
/** Chosen by the renderer so it can match jobs:progress events and cancel. */
const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _');
const hostIdsSchema = z.array(idSchema).min(1, 'select at least one host').max(10_000);
const accountSchema = z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'is not a valid account name').optional();

function channel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const channels = {
  'vault:status': channel(none, vaultStatusSchema),
  'vault:create': channel(
    z.object({ passphrase: passphraseSchema }).strict(),
    z.object({ recoveryKey: z.string(), status: vaultStatusSchema }),
  ),
  'vault:unlock': channel(z.object({ passphrase: passphraseSchema }).strict(), vaultStatusSchema),
  'vault:recover': channel(
    z.object({ recoveryKey: recoveryKeySchema, newPassphrase: passphraseSchema }).strict(),
    vaultStatusSchema,
  ),
  /** A new recovery key (shown once); the old one stops working. */
  'vault:rotateRecoveryKey': channel(z.object({ passphrase: passphraseSchema }).strict(), z.object({ recoveryKey: z.string() })),
  'vault:unlockWithKeychain': channel(none, vaultStatusSchema),
  'vault:lock': channel(none, vaultStatusSchema),
  'vault:changePassphrase': channel(
    z.object({ current: passphraseSchema, next: passphraseSchema }).strict(),
    vaultStatusSchema,
  ),
  /** The user is active in the window (typing, clicking): postpones the idle auto-lock. */
  'vault:touch': channel(none, z.object({})),
  'vault:setAutoLock': channel(z.object({ minutes: z.number().int().min(0).max(24 * 60) }).strict(), vaultStatusSchema),
  'vault:setKeychain': channel(z.object({ enabled: z.boolean() }).strict(), vaultStatusSchema),
  'vault:export': channel(
    z.object({ passphrase: passphraseSchema }).strict(),
    z.object({ path: z.string().nullable(), records: z.number().int() }),
  ),
  'vault:import': channel(
    z.object({ passphrase: passphraseSchema }).strict(),
    z.object({ path: z.string().nullable(), added: z.number().int(), updated: z.number().int() }),
  ),

  'hosts:list': channel(none, z.array(hostSchema)),
  'hosts:create': channel(z.object({ host: hostInputSchema }).strict(), hostSchema),
  'hosts:update': channel(z.object({ id: idSchema, host: hostInputSchema }).strict(), hostSchema),
  'hosts:delete': channel(z.object({ ids: z.array(idSchema).min(1).max(100_000) }).strict(), z.object({ deleted: z.number().int() })),
  /**
   * Hosts, and the keys their IdentityFiles name (read on this machine, also for pasted text).
   * Encrypted keys come back in keys.needPassphrase; call again with keyPassphrases keyed by
   * those paths. Without text, main reads the user's ~/.ssh/config.
   */
  'hosts:importSshConfig': channel(
    z.object({ text: z.string().max(5_000_000).optional(), keyPassphrases: keyPassphrasesSchema.optional() }).strict(),
    sshConfigImportReportSchema,
  ),
  'hosts:importAnsible': channel(
    z.object({ text: z.string().max(50_000_000), fileName: z.string().max(255).optional() }).strict(),
    importReportSchema,
  ),
  'hosts:exportAnsible': channel(none, z.object({ text: z.string() })),

  /** Whether each host has a sudo password stored (the passwords themselves never leave main). */
  'hosts:secretStatus': channel(none, z.object({ sudoPassword: z.array(z.string()), loginPassword: z.array(z.string()) })),
  'hosts:setSudoPassword': channel(z.object({ id: idSchema, password: z.string().min(1).max(1024) }).strict(), z.object({})),
  'hosts:clearSudoPassword': channel(z.object({ id: idSchema }).strict(), z.object({ cleared: z.boolean() })),
  /** Logging in by password (after keys and the agent): for hosts that have no key yet. */
  'hosts:setLoginPassword': channel(z.object({ id: idSchema, password: z.string().min(1).max(1024) }).strict(), z.object({})),
  'hosts:clearLoginPassword': channel(z.object({ id: idSchema }).strict(), z.object({ cleared: z.boolean() })),

  'keys:list': channel(none, z.array(sshKeyViewSchema)),
  'keys:generate': channel(z.object({ key: generateKeyInputSchema }).strict(), sshKeyViewSchema),
  'keys:import': channel(
    z.object({ key: importKeyInputSchema }).strict(),
    z.object({ key: sshKeyViewSchema, format: z.string(), warnings: z.array(z.string()) }),
  ),
  'keys:rename': channel(z.object({ id: idSchema, name: z.string().max(255) }).strict(), sshKeyViewSchema),
  'keys:delete': channel(z.object({ id: idSchema }).strict(), z.object({ deleted: z.number().int() })),
  /** Saves the private key through a save dialog (mode 600); null path = cancelled. */
  'keys:exportPrivate': channel(
    z.object({ id: idSchema, options: exportPrivateOptionsSchema }).strict(),
    z.object({ path: z.string().nullable() }),
  ),
  'keys:deploy': channel(
    z.object({ jobId: jobIdSchema, keyId: idSchema, hostIds: hostIdsSchema, account: accountSchema }).strict(),
    deployResultSchema,
  ),
  'keys:audit': channel(
    z.object({ jobId: jobIdSchema, hostIds: hostIdsSchema, accounts: z.enum(['login', 'all-login-shells']).optional() }).strict(),
    auditResultSchema,
  ),
  'keys:rotate': channel(
    z.object({ jobId: jobIdSchema, oldKeyId: idSchema, newKeyId: idSchema, hostIds: hostIdsSchema, account: accountSchema }).strict(),
    rotateResultSchema,
  ),
  'keys:revoke': channel(
    z.object({ jobId: jobIdSchema, keyId: idSchema, hostIds: hostIdsSchema, account: accountSchema, force: z.boolean().optional() }).strict(),
    revokeResultSchema,
  ),
  /** Cancels a running job: hosts not finished yet end as ABORTED. */
  'jobs:cancel': channel(z.object({ jobId: jobIdSchema }).strict(), z.object({ cancelled: z.boolean() })),

  /** Fetches each host's SSH host key without logging in, for the trust dialog. */
  'ssh:probe': channel(z.object({ hostIds: hostIdsSchema.max(200) }).strict(), z.array(hostKeyProbeSchema)),
  /** Pins exactly the key the dialog showed (`key` from ssh:probe). */
  'ssh:trust': channel(
    z.object({ hostId: idSchema, key: z.string().min(16).max(16_384), replace: z.boolean().optional() }).strict(),
    z.object({ fingerprint: z.string(), keyType: z.string() }),
  ),

  /** The hardening profiles with each control's title, reason, kind and parameters (defaults applied). */
  'hardening:profiles': channel(none, z.array(profileViewSchema)),
  /** Every control the profile editor can add, with its parameters' JSON Schema and defaults. */
  'hardening:controls': channel(none, z.array(controlCatalogEntrySchema)),
  /** Creates a custom profile (CONFLICT when the id exists, unless `replace`; built-in ids are refused). */
  'profiles:save': channel(z.object({ profile: profileInputSchema, replace: z.boolean().optional() }).strict(), profileViewSchema),
  'profiles:delete': channel(z.object({ id: profileIdSchema }).strict(), z.object({ deleted: z.boolean() })),
  /** A profile from YAML (the profiles:export format); same rules as profiles:save. */
  'profiles:import': channel(z.object({ text: z.string().min(1).max(262_144), replace: z.boolean().optional() }).strict(), profileViewSchema),
  /** Any profile (built-in too) as YAML. */
  'profiles:export': channel(z.object({ id: z.string().min(1).max(64) }).strict(), textFileSchema),
  /** Any profile as an Ansible playbook doing the same changes (check-only controls become assertions or are left out, as the playbook's header says). */
  'profiles:exportAnsible': channel(z.object({ id: z.string().min(1).max(64) }).strict(), textFileSchema),
  /**
   * A profile over hosts as a job (jobId: runs:progress events, jobs:cancel). The reply is the
   * run as history recorded it plus `grouped` (identical changes across hosts, refusals, failures);
   * see shared/domain/hardening.ts. audit and plan change nothing; apply verifies every change from
   * a fresh connection and rolls back a host it cannot reach again.
   */
  'hardening:audit': channel(runRequestSchema, runReplySchema),
  'hardening:plan': channel(runRequestSchema, runReplySchema),
  'hardening:apply': channel(runRequestSchema, runReplySchema),
  /** Recorded runs, newest first (the newest 500 are kept). */
  'runs:list': channel(none, z.array(runListEntrySchema)),
  'runs:get': channel(z.object({ id: z.string().min(1).max(128) }).strict(), runReplySchema),
  /** A recorded run as a self-contained printable HTML report or as JSON (the runs:get shape). */
  'runs:report': channel(z.object({ id: z.string().min(1).max(128), format: z.enum(['html', 'json']) }).strict(), textFileSchema),

  /** Starts following these hosts' auth and fail2ban logs (logs:events and logs:status follow); the reply is every followed host's state. */
  'logs:follow': channel(z.object({ hostIds: hostIdsSchema }).strict(), z.array(logStreamStatusSchema)),
  'logs:unfollow': channel(z.object({ hostIds: hostIdsSchema }).strict(), z.array(logStreamStatusSchema)),
  'logs:status': channel(none, z.array(logStreamStatusSchema)),
  /** Stored history, newest first. */
  'logs:query': channel(logQuerySchema, z.array(storedLogEventSchema)),
  /** fail2ban-client set JAIL banip|unbanip IP on one host, with fail2ban's answer. */
  'logs:banAction': channel(banActionRequestSchema, banActionResultSchema),
  /** How much history is kept and which events notify (each rule can be switched off). */
  'logs:settings': channel(none, logSettingsSchema),
  'logs:setSettings': channel(z.object({ settings: logSettingsSchema }).strict(), logSettingsSchema),

  'pve:list': channel(none, z.array(proxmoxNodeViewSchema)),
  /** The certificate an endpoint presents (nothing else is sent), to show before pinning it. */
  'pve:certificate': channel(endpointAddressSchema.strict(), presentedCertificateSchema),
  /** Adds an endpoint after a real call through its pinned certificate with its token; reports missing privileges. */
  'pve:create': channel(z.object({ node: proxmoxNodeInputSchema }).strict(), addedEndpointSchema),
  /**
   * Pins the certificate an endpoint presents now (after the user compared it), replacing a pin
   * that no longer matches; checked with a real call with the stored credentials first.
   */
  'pve:trust': channel(z.object({ id: idSchema, fingerprint: z.string().max(200), pin: z.enum(['ca', 'certificate']) }).strict(), z.object({ endpoint: proxmoxNodeViewSchema, pinned: pinOutcomeSchema })),
  /** Every endpoint with its last sync, guests and changes to review (from the vault). */
  'pve:state': channel(none, z.array(endpointStateSchema)),
  /** Reads one endpoint into the vault (pve:syncProgress follows per guest). */
  'pve:sync': channel(z.object({ id: idSchema }).strict(), syncResultSchema),
  /** Accepts guests' changes; addHost creates inventory hosts for new guests. */
  /** The datacenter firewall step planned against the endpoint as it is now (nothing written). */
  'pve:firewallPlan': channel(z.object({ id: idSchema, params: firewallParamsSchema, self: z.string().max(64).optional() }).strict(), firewallPlanViewSchema),
  /** Applies the reviewed plan (its digests) with the safety net; pve:firewallStep reports each step. */
  'pve:firewallApply': channel(
    z.object({ id: idSchema, params: firewallParamsSchema, self: z.string().max(64).optional(), sshHostId: idSchema, digests: z.object({ options: z.string().max(128), rules: z.string().max(128).nullable() }).strict() }).strict(),
    firewallApplyResultSchema,
  ),
  'pve:accept': channel(z.object({ guestIds: z.array(z.string().max(200)).min(1).max(10_000), addHost: z.object({ user: z.string().max(64).optional() }).strict().optional() }).strict(), z.array(acceptResultSchema)),
  'pve:delete': channel(z.object({ id: idSchema }).strict(), z.object({ deleted: z.number().int() })),
} as const;

export const events = {
  'vault:stateChanged': z.object({ state: vaultStateSchema, reason: lockReasonSchema.optional() }),
  'jobs:progress': jobProgressSchema,
  /** A hardening job's host moved on: queued, facts, applying, verifying, restoring, then done/failed/skipped with its status. */
  'runs:progress': runProgressSchema,
  /** Events as they arrive from followed hosts, in batches. */
  'logs:events': z.object({ events: z.array(storedLogEventSchema) }),
  /** A sync's progress: guests whose addresses were read so far. */
  'pve:syncProgress': z.object({ endpointId: z.string(), done: z.number().int(), total: z.number().int() }),
  /** One step of a datacenter firewall apply or its rollback, as it happens. */
  'pve:firewallStep': z.object({ endpointId: z.string(), step: z.string() }),
  'logs:status': logStreamStatusSchema,
  /** An event worth a notification (also shown as a desktop notification by the Electron app). */
  'logs:alert': logAlertSchema,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type EventName = keyof typeof events;
export type Request<C extends ChannelName> = z.input<Channels[C]['request']>;
export type Response<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const resultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorDataSchema }),
]);
export type Result<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof errorDataSchema> };

export function isChannel(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}
export function isEvent(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/**
 * What the renderer sees as window.bulwark: one async function per channel plus `on`.
 * Replies are Result data, not rejections, because contextBridge strips the fields of
 * Error objects; renderer/src/bridge turns them back into BulwarkError.
 */
export type BulwarkApi = {
  [C in ChannelName as C]: (request: Request<C>) => Promise<Result<Response<C>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** How a preload (Electron) or the test/web harness moves messages. */
export interface Transport {
  invoke(channel: ChannelName, request: unknown): Promise<unknown>;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}
