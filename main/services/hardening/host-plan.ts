/**
 * A host's plan: every selected control checked against the facts, the sshd settings of all
 * of them merged into Bulwark's one drop-in, whole files the controls own, and the apply spec
 * that makes it so. Nothing here touches the host; the diffs are computed against the file
 * contents the facts carried.
 */
import { createTwoFilesPatch } from 'diff';
import { BulwarkError } from '../../../shared/errors';
import type { ApplySpec } from './apply-script';
import type { CheckResult, Control, ControlContext, ControlPlan } from './control';
import type { HostFacts } from './facts';
import { DEFAULT_DEADMAN_SECONDS } from './host-session';
import { BULWARK_DROPIN, commentOut, conflictsFor, renderDropin, withInclude } from './sshd-config';

export interface ControlSelection {
  control: Control;
  params: object;
}

export interface ControlOutcome {
  id: string;
  title: string;
  check: CheckResult;
  /** Why this control will not run here, and the fix. */
  refused?: { reason: string; fix: string };
  notes: string[];
}

export interface FileDiff {
  path: string;
  before: string | null;
  after: string | null;
  /** Unified diff, `--- a/path +++ b/path`. */
  diff: string;
}

export interface HostPlan {
  controls: ControlOutcome[];
  files: FileDiff[];
  commands: string[];
  /** Null when nothing changes on this host. */
  apply: Omit<ApplySpec, 'runId'> | null;
  cutsAccess: boolean;
  /** A port change runs as its own staged applies after `apply` (apply-port-change.ts): what each stage changes, as far as the facts tell before the first. */
  stages?: Array<{ name: string; files: FileDiff[]; commands: string[] }>;
}

const MAIN = '/etc/ssh/sshd_config';

function fileContent(facts: HostFacts, path: string): string | null {
  if (path === MAIN) return facts.sshd.mainConfig;
  return facts.sshd.dropins.find((d) => d.path === path)?.content ?? facts.fail2ban.jailFiles.find((f) => f.path === path)?.content ?? null;
}

/** Text as the facts carry it (trailing newlines trimmed) vs. as written: compare loosely. */
function same(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return a.replace(/\n+$/, '') === b.replace(/\n+$/, '');
}

export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  const a = before === null ? '' : before.endsWith('\n') ? before : `${before}\n`;
  const b = after ?? '';
  return createTwoFilesPatch(before === null ? '/dev/null' : `a${path}`, after === null ? '/dev/null' : `b${path}`, a, b, '', '', { context: 3 }).replace(/^=+\n/, '');
}

/** `deadmanSeconds`: the switch's delay when the plan can cut access (checked by the caller, see deadmanSecondsOf). */
export function planHost(ctx: ControlContext, selections: readonly ControlSelection[], deadmanSeconds = DEFAULT_DEADMAN_SECONDS): HostPlan {
  const outcomes: ControlOutcome[] = [];
  const active: ControlPlan[] = [];
  for (const { control, params } of selections) {
    const check = control.check(ctx, params);
    const outcome: ControlOutcome = { id: control.id, title: control.title, check, notes: [] };
    // 'unknown' is never acted on: a change built on facts we could not read is a guess
    if (control.kind === 'change' && check.status === 'drift') {
      const p = control.plan(ctx, params);
      outcome.notes.push(...p.notes);
      if (p.refused) outcome.refused = p.refused;
      else active.push(p);
    }
    outcomes.push(outcome);
  }

  const writes = new Map<string, { content: string | null; mode?: number; owner?: string; group?: string }>();
  const sshd = new Map<string, string>();
  for (const p of active) {
    for (const [k, v] of p.sshd) {
      const prior = sshd.get(k);
      if (prior !== undefined && prior !== v) throw new BulwarkError('VALIDATION', `Two controls set ${k} differently (${prior} and ${v})`);
      sshd.set(k, v);
    }
    for (const f of p.files) writes.set(f.path, f);
  }
  if (sshd.size) {
    // the settings of every selected sshd control, so the drop-in says all the profile asks
    for (const { control, params } of selections) {
      if (control.kind !== 'change') continue;
      const p = control.plan(ctx, params);
      if (!p.refused) for (const [k, v] of p.sshd) if (!sshd.has(k)) sshd.set(k, v);
    }
    // a port moved by the sshd-port control stays put when a profile without it re-renders the drop-in
    if (!sshd.has('Port')) {
      const ours = ctx.facts.sshd.dropins.find((d) => d.path === BULWARK_DROPIN)?.content ?? '';
      const ports = [...ours.matchAll(/^\s*Port\s+(\d+)\s*$/gim)].map((m) => m[1]!);
      if (ports.length) sshd.set('Port', ports.join('\n'));
    }
    writes.set(BULWARK_DROPIN, { content: renderDropin(sshd), mode: 0o644, owner: 'root', group: 'root' });
    const main = withInclude(ctx.facts.sshd.mainConfig);
    const src = { mainConfig: main, dropins: ctx.facts.sshd.dropins.filter((d) => d.path !== BULWARK_DROPIN) };
    const byFile = new Map<string, Set<number>>();
    for (const c of conflictsFor(src, sshd)) byFile.set(c.file, (byFile.get(c.file) ?? new Set()).add(c.line));
    for (const [file, lines] of byFile) {
      const text = file === MAIN ? main : (fileContent(ctx.facts, file) ?? '');
      writes.set(file, { content: `${commentOut(text, lines).replace(/\n*$/, '')}\n`, mode: file === MAIN ? 0o644 : 0o644 });
    }
    if (!byFile.has(MAIN) && main !== ctx.facts.sshd.mainConfig) writes.set(MAIN, { content: `${main.replace(/\n*$/, '')}\n`, mode: 0o644 });
  }

  const files: FileDiff[] = [];
  const specFiles: ApplySpec['files'] = [];
  for (const [path, w] of writes) {
    const before = fileContent(ctx.facts, path);
    if (same(before, w.content)) continue;
    files.push({ path, before, after: w.content, diff: unifiedDiff(path, before, w.content) });
    specFiles.push({ path, ...w });
  }
  const touch = [...new Set(active.flatMap((p) => p.touch))];
  const validate = [...new Set(active.flatMap((p) => p.validate))];
  const commands = [...new Set([...active.flatMap((p) => p.commands), ...active.flatMap((p) => p.verify)])];
  const onRestore = [...new Set(active.flatMap((p) => p.onRestore))];
  if (sshd.size && files.length) {
    validate.unshift('sshd -t');
    // socket-activated sshd reads its config per connection: nothing to reload
    if (!ctx.facts.sshSocketActive) {
      const reload = `systemctl reload ${ctx.facts.sshService ?? 'ssh'}`;
      commands.unshift(reload);
      onRestore.unshift(reload);
    }
  }
  const cutsAccess = active.some((p) => p.cutsAccess) && (files.length > 0 || commands.length > 0);
  const nothing = files.length === 0 && commands.length === 0;
  return {
    controls: outcomes,
    files,
    commands,
    cutsAccess,
    apply: nothing ? null : { files: specFiles, touch, validate, commands, onRestore, deadmanSeconds: cutsAccess ? deadmanSeconds : 0 },
  };
}
