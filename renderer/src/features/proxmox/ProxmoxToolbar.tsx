import { AUTO_REFRESH_MS, useProxmoxStore } from '../../stores/proxmox';

/** Add an endpoint, and the auto-refresh switch that keeps the tree's status live. */
export function ProxmoxToolbar({ onAdd }: { onAdd: () => void }) {
  const autoRefresh = useProxmoxStore((s) => s.autoRefresh);
  const setAutoRefresh = useProxmoxStore((s) => s.setAutoRefresh);
  return (
    <div className="pve-toolbar">
      <h2>Proxmox VE</h2>
      <label className="switch" title={`Re-sync every endpoint every ${AUTO_REFRESH_MS / 1000} s while this view is open`}>
        <input type="checkbox" role="switch" checked={autoRefresh} onChange={(e) => setAutoRefresh(e.target.checked)} data-testid="pve-auto-refresh" />
        <span className="switch-track" aria-hidden="true" />
        <span>Auto-refresh every {AUTO_REFRESH_MS / 1000} s</span>
      </label>
      <button type="button" className="btn btn-primary btn-sm" onClick={onAdd} data-testid="pve-add">
        Add endpoint
      </button>
    </div>
  );
}
