/**
 * Run reports: a recorded run as a file a person keeps, prints or feeds to another tool.
 * HTML is self-contained and printable (report-html.ts); JSON is exactly the runs:get document
 * with a format marker first, so a reader can tell a report from any other JSON and parse the
 * rest with runReplySchema. Pure: the caller decides where the file goes.
 */
import { type RunRecord, type RunReply, type TextFile } from '../../../shared/domain/hardening';
import { htmlReport } from './report-html';

export const REPORT_FORMATS = ['html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The marker a JSON report starts with; bump the number when the run document changes shape. */
export const JSON_REPORT_FORMAT = 'bulwark-run-report/1';

export function isReportFormat(s: string): s is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(s);
}

/** `bulwark-<mode>-<profile>-<yyyy-mm-dd-hhmm>.<ext>` (UTC); the profile id reduced to a safe slug. */
export function reportFileName(run: Pick<RunRecord, 'mode' | 'profileId' | 'startedAt'>, format: ReportFormat): string {
  const profile = run.profileId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'profile';
  const stamp = new Date(run.startedAt).toISOString().slice(0, 16).replace(/[T:]/g, '-').replace(/-(\d\d)$/, '$1');
  return `bulwark-${run.mode}-${profile}-${stamp}.${format}`;
}

export function jsonReport(run: RunReply): string {
  return `${JSON.stringify({ format: JSON_REPORT_FORMAT, ...run }, null, 2)}\n`;
}

export function runReport(run: RunReply, format: ReportFormat): TextFile {
  return { text: format === 'html' ? htmlReport(run) : jsonReport(run), fileName: reportFileName(run, format) };
}
