import { useState } from 'react';
import type { Host } from '../../../../shared/domain/host';
import { useLogsStore } from '../../stores/logs';
import { toastError } from '../../stores/ui';
import { plural } from './log-text';

/** Follow the picked hosts, or stop them (every followed host when none of them is picked). */
export function FollowControls({ picked }: { picked: readonly Host[] }) {
  const followed = useLogsStore((s) => s.followed);
  const follow = useLogsStore((s) => s.follow);
  const unfollow = useLogsStore((s) => s.unfollow);
  const [busy, setBusy] = useState(false);
  const pickedFollowed = picked.filter((h) => followed.has(h.id)).map((h) => h.id);
  const toStop = pickedFollowed.length > 0 ? pickedFollowed : [...followed];

  const run = async (what: string, work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      toastError(what, e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="log-follow">
      <button
        type="button"
        className="btn btn-primary"
        disabled={busy || picked.length === 0}
        onClick={() => void run('Could not follow the hosts', () => follow(picked.map((h) => h.id)))}
        data-testid="logs-follow"
      >
        Follow {picked.length > 0 ? plural(picked.length, 'host') : ''}
      </button>
      <button type="button" className="btn btn-secondary" disabled={busy || toStop.length === 0} onClick={() => void run('Could not stop following', () => unfollow(toStop))} data-testid="logs-stop">
        Stop {toStop.length > 0 ? plural(toStop.length, 'host') : ''}
      </button>
    </div>
  );
}
