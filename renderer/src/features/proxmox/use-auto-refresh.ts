import { useEffect } from 'react';
import { AUTO_REFRESH_MS, useProxmoxStore } from '../../stores/proxmox';

/**
 * While the view is mounted and auto-refresh is on, re-syncs every endpoint each minute: that is
 * the tree's "live status". The store skips an endpoint whose sync is still running.
 */
export function useAutoRefresh(): void {
  const on = useProxmoxStore((s) => s.autoRefresh);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => {
      const { endpoints, sync } = useProxmoxStore.getState();
      for (const endpoint of endpoints) void sync(endpoint.id, { quiet: true });
    }, AUTO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [on]);
}
