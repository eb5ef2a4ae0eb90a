/**
 * Queues events outside React and hands them to `apply` together, at most once per animation
 * frame: a fleet job over hundreds of hosts sends several progress events per host, and a store
 * update (so a re-render of the progress table) for each would starve the UI.
 */
export interface FrameBatch<E> {
  push(event: E): void;
  /** Drops what is queued (a new job, or the reply that supersedes the events). */
  clear(): void;
}

export function frameBatch<E>(apply: (events: E[]) => void): FrameBatch<E> {
  let queued: E[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const events = queued;
    queued = [];
    if (events.length > 0) apply(events);
  };

  return {
    push(event) {
      queued.push(event);
      if (scheduled) return;
      scheduled = true;
      // requestAnimationFrame does not fire in a hidden window; the reply still lands there.
      if (typeof requestAnimationFrame === 'function' && !document.hidden) requestAnimationFrame(flush);
      else setTimeout(flush, 100);
    },
    clear() {
      queued = [];
    },
  };
}
