import { startTransition, useEffect, useRef, useState } from 'react';

/**
 * The value at most once per `ms`, and the latest one when it stops changing. The side panels
 * walk every held event (up to 100,000); at a frame's rate that would compete with scrolling,
 * and a chart or ranking does not need to move 60 times a second. The update is a transition:
 * React can then yield between the panels' walks instead of running them as one long task.
 */
export function useThrottledValue<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - Date.now();
    const show = () => {
      last.current = Date.now();
      startTransition(() => setShown(value));
    };
    if (wait <= 0) {
      show();
      return;
    }
    const t = setTimeout(show, wait);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}
