import { useEffect, useState } from 'react';

/** The current time, re-read every `everyMs`, so "synced 3 min ago" keeps counting while the view is open. */
export function useClock(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
