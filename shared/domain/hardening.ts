/**
 * Hardening profiles and runs as they cross IPC and as run history stores them. One run record
 * serves every consumer: the hardening:audit|plan|apply replies, runs:get, the CLI's --json and
 * the vault's 'hardening-run' records. `grouped` (see groupedPlanSchema) is derived from a
 * record's results and never stored.
 */
import { z } from '../zod';

export const RUN_MODES = ['audit', 'plan', 'apply'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export const CHECK_STATUSES = ['compliant', 'drift', 'not-applicable', 'unknown'] as const;

/**
 * A host's outcome. audit: compliant | drift | unknown (a control could not be read).
 * plan: planned (changes ready) | unchanged | refused (nothing to do but a control refused).
 * apply: applied | unchanged | refused | rolled-back. Any mode: failed (no plan: unreachable,
 * sudo refused...), skipped (cancelled, canary failed, stop-after reached).
 */
export const HOST_RUN_STATUSES = ['compliant', 'drift', 'unknown', 'planned', 'unchanged', 'applied', 'rolled-back', 'refused', 'failed', 'skipped'] as const;
export type HostRunStatus = (typeof HOST_RUN_STATUSES)[number];

/** Steps a host goes through, as runs:progress reports them. */
export const RUN_PHASES = ['queued', 'facts', 'applying', 'verifying', 'restoring', 'done', 'failed', 'skipped'] as const;

const refusalSchema = z.object({ reason: z.string(), fix: z.string() });

/** One control on one host: the check (with evidence), and why it will not run, if so. */
export const controlResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(CHECK_STATUSES),
  evidence: z.array(z.string()),
  refused: refusalSchema.optional(),
  notes: z.array(z.string()),
});
export type ControlResult = z.output<typeof controlResultSchema>;

/** A file a plan writes; `diff` is unified (`--- a/path` / `+++ b/path`, /dev/null for create/delete). */
export const fileDiffSchema = z.object({ path: z.string(), diff: z.string() });
export type FileDiffView = z.output<typeof fileDiffSchema>;

export const hostRunResultSchema = z.object({
  /** Inventory name at the time of the run. */
  host: z.string(),
  /** Inventory id (the host may have been deleted since). */
  hostId: z.string(),
  status: z.enum(HOST_RUN_STATUSES),
  /** Why it failed, rolled back, was refused or skipped. */
  reason: z.string().optional(),
  /** apply: the SSH port sshd moved to (the inventory now says so). */
  newPort: z.number().int().optional(),
  /** The checks before any change (empty when the host could not be read). */
  controls: z.array(controlResultSchema),
  /** apply: the checks from the fresh connection after applying. */
  after: z.array(controlResultSchema).optional(),
  /** What the plan writes (plan) or wrote / tried to write (apply). */
  files: z.array(fileDiffSchema),
  /** Commands the plan runs (reloads, ufw, fail2ban checks), in order. */
  commands: z.array(z.string()),
  /** Whether the change can cut SSH access (dead-man switch armed while it is verified). */
  cutsAccess: z.boolean(),
  /** Compliant controls out of applicable ones (not-applicable left out): from `after` when the run applied, else from `controls`. */
  score: z.object({ compliant: z.number().int(), applicable: z.number().int() }),
  durationMs: z.number(),
  /** Per step, ms (apply: plan, apply, verify, disarm, restore). */
  timings: z.record(z.string(), z.number()).optional(),
});
export type HostRunResult = z.output<typeof hostRunResultSchema>;

export const runSummarySchema = z.object({
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  /** Hosts that failed or rolled back. */
  failed: z.number().int(),
});

/** What history stores per run (kind 'hardening-run', encrypted like every record). */
export const runRecordSchema = z.object({
  id: z.string(),
  mode: z.enum(RUN_MODES),
  profileId: z.string(),
  /** The OS account that started the run. */
  who: z.string(),
  /** 'cli' or 'app'. */
  via: z.enum(['cli', 'app']),
  startedAt: z.number(),
  finishedAt: z.number(),
  options: z.object({ canary: z.number().int().optional(), stopAfterFailures: z.number().int().optional() }),
  /** Ctrl-C or jobs:cancel arrived while it ran. */
  cancelled: z.boolean(),
  results: z.array(hostRunResultSchema),
  summary: runSummarySchema,
});
export type RunRecord = z.output<typeof runRecordSchema>;

/** Identical changes across hosts, keyed by the exact file diffs and commands. */
export const planGroupSchema = z.object({
  /** sha256 of the diffs and commands (stable across runs for the same change). */
  key: z.string(),
  hosts: z.array(z.string()),
  files: z.array(fileDiffSchema),
  commands: z.array(z.string()),
  cutsAccess: z.boolean(),
});
export type PlanGroup = z.output<typeof planGroupSchema>;

export const groupedPlanSchema = z.object({
  /** Largest group first. */
  changes: z.array(planGroupSchema),
  /** Hosts read successfully with nothing to change and no refusal (check-only findings show in the controls). */
  unchanged: z.array(z.string()),
  /** A control that refused to run, with the same reason and fix on these hosts. */
  refused: z.array(z.object({ control: z.string(), reason: z.string(), fix: z.string(), hosts: z.array(z.string()) })),
  /** Hosts without a plan (unreachable, sudo refused...), one entry per host. */
  failed: z.array(z.object({ host: z.string(), reason: z.string() })),
  skipped: z.array(z.object({ host: z.string(), reason: z.string() })),
});
export type GroupedPlan = z.output<typeof groupedPlanSchema>;

/** hardening:audit|plan|apply and runs:get reply: the record plus its grouped view. */
export const runReplySchema = runRecordSchema.extend({ grouped: groupedPlanSchema });
export type RunReply = z.output<typeof runReplySchema>;

/** runs:list entry, newest first. */
export const runListEntrySchema = z.object({
  id: z.string(),
  mode: z.enum(RUN_MODES),
  profileId: z.string(),
  who: z.string(),
  via: z.enum(['cli', 'app']),
  startedAt: z.number(),
  finishedAt: z.number(),
  cancelled: z.boolean(),
  hosts: z.array(z.string()),
  summary: runSummarySchema,
});
export type RunListEntry = z.output<typeof runListEntrySchema>;

export const profileViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** Built-in profiles cannot be edited or deleted (copy one to customise it). */
  builtIn: z.boolean(),
  controls: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      /** Why, from the guide. */
      reason: z.string(),
      /** 'check' controls only audit. */
      kind: z.enum(['change', 'check']),
      /** The parameters after the control's schema applied its defaults. */
      params: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type ProfileView = z.output<typeof profileViewSchema>;

/** A control as the profile editor offers it: its parameters as JSON Schema (from its zod schema) and their defaults. */
export const controlCatalogEntrySchema = z.object({
  id: z.string(),
  title: z.string(),
  reason: z.string(),
  kind: z.enum(['change', 'check']),
  /** JSON Schema (draft 2020-12) of the parameters object, from z.toJSONSchema of the control's schema. */
  paramsSchema: z.record(z.string(), z.unknown()),
  /** The parameters when none are given. */
  defaults: z.record(z.string(), z.unknown()),
});
export type ControlCatalogEntry = z.output<typeof controlCatalogEntrySchema>;

/** Custom profile ids: lower-case slugs, never a built-in id. */
export const profileIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits or -, starting with a letter or digit');

/**
 * A custom profile as the editor and the YAML import send it. Control parameters are checked by
 * each control's own schema in main (VALIDATION names the control and the field).
 */
export const profileInputSchema = z
  .object({
    id: profileIdSchema,
    name: z.string().trim().min(1, 'is required').max(80),
    description: z.string().max(1000).default(''),
    controls: z
      .array(z.object({ id: z.string().min(1).max(64), params: z.record(z.string(), z.unknown()).optional() }).strict())
      .min(1, 'choose at least one control')
      .max(32),
  })
  .strict();
export type ProfileInput = z.input<typeof profileInputSchema>;

/** A text file for the renderer to save or copy (profile YAML, Ansible playbook, run report). */
export const textFileSchema = z.object({ text: z.string(), fileName: z.string() });
export type TextFile = z.output<typeof textFileSchema>;

const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _');

export const runRequestSchema = z
  .object({
    jobId: jobIdSchema,
    profileId: z.string().min(1).max(64),
    hostIds: z.array(z.string().min(1).max(64)).min(1, 'select at least one host').max(10_000),
    /** apply only: this many hosts first; the rest only when none of them failed. */
    canary: z.number().int().min(1).max(10_000).optional(),
    /** Skip hosts not started yet once this many failed or rolled back. */
    stopAfterFailures: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export const runProgressSchema = z.object({
  jobId: z.string(),
  host: z.string(),
  phase: z.enum(RUN_PHASES),
  status: z.enum(HOST_RUN_STATUSES).optional(),
  reason: z.string().optional(),
});
export type RunProgress = z.output<typeof runProgressSchema>;
