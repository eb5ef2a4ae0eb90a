import { memo, useEffect, useMemo, useState } from 'react';
import type { LogEventKind, StoredLogEvent } from '../../../../shared/domain/logs';
import { ACCEPTED_LOGIN_KINDS, BAN_KINDS, FAILED_LOGIN_KINDS, perMinute } from './log-derive';

/** Kinds grouped into a few colours: 18 colours in a 60-bar chart would read as noise. */
const GROUPS: { id: string; label: string; kinds: (k: LogEventKind) => boolean }[] = [
  { id: 'failed', label: 'Failed logins', kinds: (k) => FAILED_LOGIN_KINDS.includes(k) },
  { id: 'accepted', label: 'Successful logins', kinds: (k) => ACCEPTED_LOGIN_KINDS.includes(k) },
  { id: 'bans', label: 'Bans', kinds: (k) => BAN_KINDS.includes(k) },
  { id: 'other', label: 'Other', kinds: () => true },
];
const groupOf = (k: LogEventKind) => GROUPS.find((g) => g.kinds(k))!.id;

/** One formatter for every bar title: toLocaleTimeString with options builds a new one per call. */
const MINUTE = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });

const W = 600;
const H = 120;

/** Events per minute over the last hour, stacked by kind group; each bar's title lists its kinds. */
export const MinuteChart = memo(function MinuteChart({ events }: { events: readonly StoredLogEvent[] }) {
  // the window slides even when nothing arrives
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  const buckets = useMemo(() => perMinute(events, Math.max(now, events.at(-1)?.at ?? 0)), [events, now]);
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const bw = W / buckets.length;
  const total = buckets.reduce((n, b) => n + b.total, 0);

  return (
    <figure className="card log-chart" data-testid="logs-chart" data-total={total}>
      <figcaption className="card-header">
        <h3>Events per minute, last hour</h3>
        <ul className="log-legend">
          {GROUPS.map((g) => (
            <li key={g.id} className={`legend-${g.id}`}>
              {g.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`${total} events in the last hour, busiest minute ${max === 1 && total === 0 ? 0 : max}`}>
        {buckets.map((b, i) => {
          let y = H;
          const byGroup = new Map<string, number>();
          for (const [k, n] of Object.entries(b.byKind) as [LogEventKind, number][]) byGroup.set(groupOf(k), (byGroup.get(groupOf(k)) ?? 0) + n);
          const title = `${MINUTE.format(b.start)}: ${b.total}\n${Object.entries(b.byKind)
            .map(([k, n]) => `${k} ${n}`)
            .join('\n')}`;
          return (
            <g key={b.start}>
              <title>{title}</title>
              {GROUPS.map((g) => {
                const n = byGroup.get(g.id) ?? 0;
                if (n === 0) return null;
                const h = (n / max) * (H - 4);
                y -= h;
                return <rect key={g.id} className={`bar-${g.id}`} x={i * bw + 0.5} y={y} width={Math.max(1, bw - 1)} height={h} />;
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
});
