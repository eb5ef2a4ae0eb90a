/**
 * Security log events as they cross IPC and the CLI (`bulwark logs tail --json`): one typed event
 * per log line or journald record, whatever the host logged it through. The parsers live in
 * main/services/logs/parse; this is the shape everyone else relies on.
 */
import { z } from '../zod';

/** Where a line came from: the journal, a syslog file (Debian's auth.log, RHEL's secure) or fail2ban's own log. */
export const LOG_SOURCES = ['journald', 'auth.log', 'secure', 'fail2ban.log'] as const;
export type LogSource = (typeof LOG_SOURCES)[number];

/**
 * One kind per line, so counting events counts incidents: where a daemon logs one incident on
 * several lines (PAM's "authentication failure" before sshd's "Failed password"), only the
 * daemon's own verdict gets the kind and the echo stays `other`.
 *
 * - `auth.failed_password`: any failed non-key attempt (password, keyboard-interactive, PAM);
 *   `method` says which.
 * - `auth.failed_publickey`: a refused key (publickey or hostbased).
 * - `auth.invalid_user`: sshd refused the account itself (unknown user, DenyUsers/AllowUsers,
 *   root login refused).
 * - `auth.preauth_disconnect`: a connection that ended before anyone authenticated (scanners,
 *   banner and key-exchange failures, clients giving up).
 * - `auth.max_auth_tries`: sshd cut a client off after too many attempts.
 * - `sudo.auth_failure`: sudo refused (wrong passwords, not in sudoers).
 */
export const LOG_EVENT_KINDS = [
  'auth.failed_password',
  'auth.invalid_user',
  'auth.failed_publickey',
  'auth.accepted_password',
  'auth.accepted_publickey',
  'auth.accepted_keyboard',
  'auth.max_auth_tries',
  'auth.preauth_disconnect',
  'auth.session_opened',
  'auth.session_closed',
  'sudo.command',
  'sudo.auth_failure',
  'f2b.found',
  'f2b.ban',
  'f2b.unban',
  'f2b.restore_ban',
  'f2b.already_banned',
  'other',
] as const;
export type LogEventKind = (typeof LOG_EVENT_KINDS)[number];

/** Lines longer than this are cut, with a marker: sshd's own messages stay far below it. */
export const MAX_RAW_LOG_LINE = 8 * 1024;

export const LogEventSchema = z.object({
  /**
   * ISO 8601. UTC (`Z`) whenever the line's zone is known (journald, RFC 3339, or a time zone
   * given to the parser); otherwise the host's wall-clock time without an offset. Null only when
   * the line carried no timestamp at all.
   */
  time: z.string().nullable(),
  /** The inventory host name (filled by the caller, not taken from the log's own hostname). */
  host: z.string(),
  source: z.enum(LOG_SOURCES),
  kind: z.enum(LOG_EVENT_KINDS),
  /**
   * The remote as sshd or fail2ban logged it: IPv4, IPv6 in lower case (IPv4-mapped IPv6 as its
   * IPv4 address), or a host name when sshd resolved one (UseDNS yes).
   */
  ip: z.string().nullable(),
  port: z.number().int().min(0).max(65535).nullable(),
  /** The account named by the line: sshd's target user, sudo's invoking user. */
  user: z.string().nullable(),
  /** The authentication method as sshd names it: password, publickey, keyboard-interactive/pam, ... */
  method: z.string().nullable(),
  /** The key's fingerprint as sshd logs it, e.g. `SHA256:…`. */
  keyFingerprint: z.string().nullable(),
  jail: z.string().nullable(),
  pid: z.number().int().nullable(),
  /** The line as received (journald: `identifier[pid]: MESSAGE`), cut at MAX_RAW_LOG_LINE. */
  raw: z.string(),
});
export type LogEvent = z.infer<typeof LogEventSchema>;

/** An event with the time Bulwark received it (ms since the epoch): the order of history. */
export const storedLogEventSchema = LogEventSchema.extend({ at: z.number() });
export type StoredLogEvent = z.infer<typeof storedLogEventSchema>;

/** How one host's followers are doing, with what they received and what did not fit. */
export const logStreamStatusSchema = z.object({
  host: z.string(),
  state: z.discriminatedUnion('state', [
    z.object({ state: z.literal('connecting') }),
    z.object({ state: z.literal('streaming'), sources: z.array(z.string()) }),
    z.object({ state: z.literal('reconnecting'), reason: z.string(), retryInMs: z.number(), attempt: z.number().int() }),
    z.object({ state: z.literal('error'), reason: z.string() }),
    z.object({ state: z.literal('stopped') }),
  ]),
  received: z.number().int(),
  dropped: z.number().int(),
});
export type LogStreamStatus = z.infer<typeof logStreamStatusSchema>;

export const logQuerySchema = z
  .object({
    hostNames: z.array(z.string().min(1).max(64)).max(10_000).optional(),
    kinds: z.array(z.enum(LOG_EVENT_KINDS)).max(LOG_EVENT_KINDS.length).optional(),
    ip: z.string().min(1).max(255).optional(),
    user: z.string().min(1).max(256).optional(),
    text: z.string().min(1).max(512).optional(),
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(100_000).default(1_000),
  })
  .strict();
export type LogQueryInput = z.input<typeof logQuerySchema>;

export const banActionRequestSchema = z
  .object({
    hostId: z.string().min(1).max(64),
    action: z.enum(['ban', 'unban']),
    jail: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/, 'is not a fail2ban jail name'),
    ip: z.string().min(2).max(45),
  })
  .strict();

export const banActionResultSchema = z.object({ action: z.enum(['ban', 'unban']), jail: z.string(), ip: z.string(), output: z.string(), ok: z.boolean() });

export const logSettingsSchema = z
  .object({
    retention: z.object({ maxEvents: z.number().int().min(1000).max(50_000_000), maxAgeDays: z.number().int().min(1).max(3650) }).strict(),
    alerts: z
      .object({
        newAddressLogin: z.boolean(),
        rootLogin: z.boolean(),
        banStorm: z.boolean(),
        banStormPerMinute: z.number().int().min(1).max(100_000),
      })
      .strict(),
  })
  .strict();
export type LogSettingsView = z.infer<typeof logSettingsSchema>;

export const logAlertSchema = z.object({
  rule: z.enum(['new-address-login', 'root-login', 'ban-storm']),
  title: z.string(),
  body: z.string(),
  host: z.string().nullable(),
  at: z.number(),
});
