/**
 * The apply script: ONE root shell script per host that backs up every file it will touch
 * under /var/backups/bulwark/RUN/, writes restore.sh, arms the dead-man switch (a systemd timer
 * running restore.sh unless a fresh connection disarms it), writes the files atomically,
 * validates, and runs the reload commands. Any failure inside restores at once and exits
 * non-zero; success leaves the switch armed for the caller's fresh-connection check.
 *
 * Everything from outside reaches the script only as base64 (file contents) or through
 * shellQuote after validation (paths, owners, modes, the run id); commands come from the
 * controls' own templates with quoted parameters.
 */
import { BulwarkError } from '../../../shared/errors';
import { shellQuote } from '../ssh/quote';

export const BACKUP_ROOT = '/var/backups/bulwark';
export const APPLY_EXIT = { OK: 0, FAILED: 1, VALIDATION_FAILED: 3, RESTORED: 4 } as const;

export interface FileWrite {
  path: string;
  /** New content; null deletes the file. */
  content: string | null;
  /** Octal, e.g. 0o644 (ignored for deletion). */
  mode?: number;
  owner?: string;
  group?: string;
}

export interface ApplySpec {
  runId: string;
  files: FileWrite[];
  /** Files the commands change (e.g. ufw's rule files): backed up and restored, not written. */
  touch?: string[];
  /** Must all succeed after the files are written (e.g. `sshd -t`); else everything is restored. */
  validate: string[];
  /** Run after validation (reloads); a failure restores too. */
  commands: string[];
  /** Run by restore.sh after putting the files back (e.g. reload sshd again). */
  onRestore: string[];
  /** Seconds until the switch restores by itself; 0 = no switch (changes that cannot cut access). */
  deadmanSeconds: number;
  /** Test-only: a directory standing in for / (the script then never touches the real system). */
  root?: string;
}

const RUN_ID = /^[a-z0-9][a-z0-9-]{5,63}$/;
const SAFE_PATH = /^\/(?:[A-Za-z0-9._@+-]+\/)*[A-Za-z0-9._@+-]+$/;
const NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

function invalid(message: string): BulwarkError {
  return new BulwarkError('VALIDATION', message);
}

/** Written files first, then the touched ones, each once: the order backups and restores use. */
function backedUp(spec: ApplySpec): FileWrite[] {
  const written = new Set(spec.files.map((f) => f.path));
  return [...spec.files, ...(spec.touch ?? []).filter((p) => !written.has(p)).map((path) => ({ path, content: '' }))];
}

export function checkSpec(spec: ApplySpec): void {
  if (!RUN_ID.test(spec.runId)) throw invalid(`run id "${spec.runId}" must be 6-64 lowercase letters, digits or -`);
  for (const p of spec.touch ?? []) if (!SAFE_PATH.test(p) || p.split('/').includes('..')) throw invalid(`unsafe path: ${JSON.stringify(p)}`);
  const seen = new Set<string>();
  for (const f of spec.files) {
    if (!SAFE_PATH.test(f.path) || f.path.split('/').includes('..')) throw invalid(`unsafe path: ${JSON.stringify(f.path)}`);
    if (seen.has(f.path)) throw invalid(`${f.path} is written twice in one apply`);
    seen.add(f.path);
    if (f.mode !== undefined && (!Number.isInteger(f.mode) || f.mode < 0 || f.mode > 0o7777)) throw invalid(`bad mode for ${f.path}`);
    for (const n of [f.owner, f.group]) if (n !== undefined && !NAME.test(n)) throw invalid(`bad owner or group for ${f.path}: ${JSON.stringify(n)}`);
  }
  if (!Number.isInteger(spec.deadmanSeconds) || spec.deadmanSeconds < 0 || spec.deadmanSeconds > 3600) throw invalid('deadmanSeconds must be 0-3600');
  if (spec.root !== undefined && !SAFE_PATH.test(spec.root)) throw invalid('bad test root');
  for (const c of [...spec.validate, ...spec.commands, ...spec.onRestore]) {
    if (c.includes('\0') || c.includes('\n')) throw invalid('commands are single lines');
  }
}

/** `printf ... | base64 -d`: the base64 alphabet needs no quoting beyond single quotes. */
function b64(content: string): string {
  return `printf '%s' '${Buffer.from(content, 'utf8').toString('base64')}' | base64 -d`;
}

export function unitName(runId: string): string {
  return `bulwark-rollback-${runId}`;
}

/** The script, and the path of restore.sh on the host. */
export function applyScript(spec: ApplySpec): { script: string; restorePath: string } {
  checkSpec(spec);
  const T = spec.root ?? '';
  const dir = `${T}${BACKUP_ROOT}/${spec.runId}`;
  const q = shellQuote;

  const restore: string[] = ['#!/bin/sh', '# Written by Bulwark: puts back what run ' + spec.runId + ' changed.', 'set -u', `d=${q(dir)}`, 'rc=0'];
  const saved = backedUp(spec);
  saved.forEach((f, i) => {
    const target = q(`${T}${f.path}`);
    restore.push(`if [ -e "$d/files/${i}" ]; then cp -p -- "$d/files/${i}" ${target}.bulwark-restore && mv -f -- ${target}.bulwark-restore ${target} || rc=1; elif [ -e "$d/files/${i}.absent" ]; then rm -f -- ${target} || rc=1; fi`);
  });
  for (const c of spec.onRestore) restore.push(`${c} || rc=1`);
  restore.push(`printf 'restored %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$d/log"`, 'exit $rc', '');

  const s: string[] = [
    'set -u',
    'umask 077',
    'LC_ALL=C',
    'export LC_ALL',
    `d=${q(dir)}`,
    'fail() { printf "bulwark: %s\\n" "$1" >&2; exit "${2:-1}"; }',
    `mkdir -p "$d/files" || fail "cannot create $d"`,
  ];
  // 1. back up (a copy keeping mode and owner; ".absent" marks files to delete on restore)
  saved.forEach((f, i) => {
    const target = q(`${T}${f.path}`);
    s.push(`if [ -e ${target} ]; then cp -p -- ${target} "$d/files/${i}" || fail "cannot back up ${f.path}"; else : > "$d/files/${i}.absent"; fi`);
  });
  // 2. restore.sh, then the switch
  s.push(`${b64(restore.join('\n'))} > "$d/restore.sh" || fail "cannot write restore.sh"`);
  s.push('restore_now() { sh "$d/restore.sh" >&2; systemctl stop ' + q(`${unitName(spec.runId)}.timer`) + ' 2>/dev/null; }');
  if (spec.deadmanSeconds > 0) {
    s.push(
      `systemd-run --quiet --collect --on-active=${spec.deadmanSeconds}s --timer-property=AccuracySec=100ms --unit=${q(unitName(spec.runId))} /bin/sh "$d/restore.sh" || fail "cannot arm the automatic rollback (systemd-run); nothing was changed"`,
    );
  }
  // 3. write: temp file in the same directory, mode/owner set before the rename
  spec.files.forEach((f, i) => {
    const target = q(`${T}${f.path}`);
    if (f.content === null) {
      s.push(`rm -f -- ${target} || { restore_now; fail "cannot remove ${f.path}; restored" ${APPLY_EXIT.RESTORED}; }`);
      return;
    }
    const tmp = q(`${T}${f.path}.bulwark-${i}`);
    const parent = q(`${T}${f.path.slice(0, f.path.lastIndexOf('/')) || '/'}`);
    const steps = [
      `mkdir -p ${parent}`,
      `${b64(f.content)} > ${tmp}`,
      `chmod ${(f.mode ?? 0o644).toString(8)} ${tmp}`,
      ...(f.owner || f.group ? [`chown ${q(`${f.owner ?? ''}${f.group ? `:${f.group}` : ''}`)} ${tmp}`] : []),
      `mv -f -- ${tmp} ${target}`,
    ];
    s.push(`{ ${steps.join(' && \\\n  ')}; } || { rm -f -- ${tmp}; restore_now; fail "cannot write ${f.path}; restored" ${APPLY_EXIT.RESTORED}; }`);
  });
  // 4. validate, 5. reload
  for (const c of spec.validate) {
    s.push(`out=$( ${c} 2>&1 ) || { restore_now; fail "validation failed, nothing kept: ${c.replace(/["\\$`]/g, '')}: $out" ${APPLY_EXIT.VALIDATION_FAILED}; }`);
  }
  for (const c of spec.commands) {
    s.push(`out=$( ${c} 2>&1 ) || { restore_now; fail "${c.replace(/["\\$`]/g, '')} failed: $out; restored" ${APPLY_EXIT.RESTORED}; }`);
  }
  s.push(`printf 'applied %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$d/log"`, 'printf "bulwark-applied\\n"', '');
  return { script: s.join('\n'), restorePath: `${dir}/restore.sh` };
}

/** Cancels the switch after a successful fresh-connection check. */
export function disarmCommand(runId: string): string {
  return `systemctl stop ${shellQuote(`${unitName(runId)}.timer`)} 2>/dev/null; printf 'confirmed %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> ${shellQuote(`${BACKUP_ROOT}/${runId}/log`)}`;
}

/** Restores through an open session (verification failed) and cancels the switch. */
export function restoreCommand(runId: string): string {
  return `sh ${shellQuote(`${BACKUP_ROOT}/${runId}/restore.sh`)}; rc=$?; systemctl stop ${shellQuote(`${unitName(runId)}.timer`)} 2>/dev/null; exit $rc`;
}
