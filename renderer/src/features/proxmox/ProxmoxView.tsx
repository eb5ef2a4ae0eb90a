import { useEffect, useMemo, useState } from 'react';
import { FormError } from '../../components/FormError';
import { useHostsStore } from '../../stores/hosts';
import { useProxmoxStore } from '../../stores/proxmox';
import { AddEndpointDialog } from './AddEndpointDialog';
import { EndpointCard } from './EndpointCard';
import { linkedHosts } from './pve-derive';
import { ProxmoxToolbar } from './ProxmoxToolbar';
import { useAutoRefresh } from './use-auto-refresh';
import { useClock } from './use-clock';
import './proxmox.css';

/** Proxmox VE endpoints as a node → guest tree with live status, sync, and the changes to review. */
export function ProxmoxView() {
  const endpoints = useProxmoxStore((s) => s.endpoints);
  const loadState = useProxmoxStore((s) => s.loadState);
  const loadError = useProxmoxStore((s) => s.loadError);
  const hosts = useHostsStore((s) => s.hosts);
  const [adding, setAdding] = useState(false);
  const now = useClock();
  const hostsByGuest = useMemo(() => linkedHosts(hosts), [hosts]);
  useAutoRefresh();

  useEffect(() => {
    void useProxmoxStore.getState().open();
    if (useHostsStore.getState().loadState === 'idle') void useHostsStore.getState().load();
  }, []);

  return (
    <div className="pve-view" data-testid="proxmox-view">
      <ProxmoxToolbar onAdd={() => setAdding(true)} />
      {loadError ? <FormError testId="pve-load-error" message={`Could not read the Proxmox endpoints: ${loadError.message}`} code={loadError.code} /> : null}
      {loadState === 'ready' && endpoints.length === 0 ? (
        <section className="pve-empty card" data-testid="pve-empty">
          <h2>No Proxmox endpoint yet</h2>
          <p>
            Add a Proxmox VE node or cluster with an API token: Bulwark lists its nodes, VMs and containers with their status and addresses, and adds the guests you accept to the inventory, linked to them.
          </p>
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)} data-testid="pve-empty-add">
            Add endpoint
          </button>
        </section>
      ) : (
        endpoints.map((endpoint) => <EndpointCard key={endpoint.id} endpoint={endpoint} hostsByGuest={hostsByGuest} now={now} />)
      )}
      {adding ? <AddEndpointDialog onClose={() => setAdding(false)} /> : null}
    </div>
  );
}
