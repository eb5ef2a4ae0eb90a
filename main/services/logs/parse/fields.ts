import type { LogEventKind } from '../../../../shared/domain/logs';

/** What a message says, before the line's time, host, source, pid and raw text are added. */
export interface MessageFields {
  kind: LogEventKind;
  ip?: string | null;
  port?: number | null;
  user?: string | null;
  method?: string | null;
  keyFingerprint?: string | null;
  jail?: string | null;
}

export const OTHER: MessageFields = { kind: 'other' };

export function portNumber(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}

/** PAM's `key=value` pairs ("logname= uid=0 ... rhost=192.0.2.1  user=root"); empty values count as absent. */
export function pamPairs(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const m of text.matchAll(/(?:^|\s)(\w+)=(\S*)/g)) if (m[2]) pairs[m[1]!] = m[2];
  return pairs;
}
