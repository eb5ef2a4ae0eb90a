/** How log fields read in the view: fixed-width times, and kinds in words for tooltips. */
import type { LogStreamStatus, StoredLogEvent } from '../../../../shared/domain/logs';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The host's own timestamp when the line had one, else when Bulwark received it. */
export function eventTime(e: StoredLogEvent): string {
  const d = new Date(e.time ?? e.at);
  if (Number.isNaN(d.getTime())) return e.time ?? '';
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function statusText(s: LogStreamStatus): string {
  const st = s.state;
  switch (st.state) {
    case 'connecting':
      return 'connecting…';
    case 'streaming':
      return `connected (${st.sources.join(', ')})`;
    case 'reconnecting':
      return `reconnecting in ${Math.ceil(st.retryInMs / 1000)} s (attempt ${st.attempt}): ${st.reason}`;
    case 'error':
      return `error: ${st.reason}`;
    case 'stopped':
      return 'stopped';
  }
}

/** One formatter: Number#toLocaleString builds a new one per call, and counts render every frame. */
const COUNT = new Intl.NumberFormat();
export const count = (n: number) => COUNT.format(n);

export const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
