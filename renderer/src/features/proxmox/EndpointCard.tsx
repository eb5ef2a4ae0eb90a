import { useMemo, useState } from 'react';
import type { Host } from '../../../../shared/domain/host';
import { useProxmoxStore } from '../../stores/proxmox';
import { ChangesPanel } from './ChangesPanel';
import { DeleteEndpointDialog } from './DeleteEndpointDialog';
import { FirewallPanel } from './FirewallPanel';
import { NodeBranchView } from './NodeBranchView';
import { groupGuestsByNode, pinBadge, relativeTime, type EndpointState } from './pve-derive';
import { SyncStatus } from './SyncStatus';
import { TrustCertificateDialog } from './TrustCertificateDialog';

interface Props {
  endpoint: EndpointState;
  hostsByGuest: ReadonlyMap<string, Host>;
  now: number;
}

/**
 * One Proxmox endpoint: its header (pin, sign-in, sync, last sync, delete), its changes to review,
 * its node → guest tree and its datacenter firewall.
 */
export function EndpointCard({ endpoint, hostsByGuest, now }: Props) {
  const progress = useProxmoxStore((s) => s.syncing[endpoint.id]);
  const error = useProxmoxStore((s) => s.syncErrors[endpoint.id]);
  const sync = useProxmoxStore((s) => s.sync);
  const [open, setOpen] = useState(true);
  const [deleting, setDeleting] = useState(false);
  const [trusting, setTrusting] = useState(false);
  const { lastSync } = endpoint;
  const branches = useMemo(() => groupGuestsByNode(lastSync?.nodes ?? [], endpoint.guests), [lastSync, endpoint.guests]);
  const treeId = `pve-tree-${endpoint.id}`;
  const syncing = progress !== undefined;
  const badge = pinBadge(endpoint);

  return (
    <article className="pve-endpoint card" data-testid="pve-endpoint" data-name={endpoint.name}>
      <header className="pve-endpoint-head">
        <button type="button" className="btn btn-ghost btn-sm pve-toggle" aria-expanded={open} aria-controls={treeId} onClick={() => setOpen(!open)} data-testid="pve-endpoint-toggle">
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> <strong>{endpoint.name}</strong>
        </button>
        <span className="mono muted">
          {endpoint.address}:{endpoint.port}
        </span>
        {lastSync?.clusterName ? <span className="badge badge-muted">cluster {lastSync.clusterName}</span> : null}
        <span className="badge badge-muted" title={badge.title} data-testid="pve-pin-badge" data-pin={endpoint.pin}>
          {badge.label}
        </span>
        {endpoint.auth === 'password' ? (
          <span className="badge badge-muted" title={`Signs in as ${endpoint.user} with a password`} data-testid="pve-auth-badge">
            password sign-in
          </span>
        ) : null}
        <span className="muted" data-testid="pve-last-sync" title={lastSync ? new Date(lastSync.syncedAt).toLocaleString() : undefined}>
          {lastSync ? `synced ${relativeTime(lastSync.syncedAt, now)}` : 'never synced'}
        </span>
        {endpoint.changes.length > 0 ? (
          <span className="badge pve-changes-count" data-testid="pve-changes-count">
            {endpoint.changes.length} to review
          </span>
        ) : null}
        <span className="pve-endpoint-actions">
          <button type="button" className="btn btn-secondary btn-sm" disabled={syncing} aria-busy={syncing} onClick={() => void sync(endpoint.id)} data-testid="pve-sync">
            {syncing ? 'Syncing…' : 'Sync'}
          </button>
          <button type="button" className="btn btn-danger-ghost btn-sm" onClick={() => setDeleting(true)} data-testid="pve-delete">
            Delete
          </button>
        </span>
      </header>
      <SyncStatus progress={progress} error={error} onCheckCertificate={() => setTrusting(true)} />
      {lastSync && lastSync.unreachableNodes.length > 0 ? (
        <p className="warning-text" data-testid="pve-unreachable">
          Unreachable: {lastSync.unreachableNodes.join(', ')} (their guests show as unknown)
        </p>
      ) : null}
      <ChangesPanel changes={endpoint.changes} now={now} />
      {open ? (
        <ul className="pve-tree" id={treeId}>
          {branches.length > 0 ? (
            branches.map((branch) => <NodeBranchView key={branch.name} endpointId={endpoint.id} branch={branch} hostsByGuest={hostsByGuest} />)
          ) : (
            <li className="muted pve-none">{lastSync ? 'The last sync found no nodes.' : 'Not synced yet: press Sync to read its nodes and guests.'}</li>
          )}
        </ul>
      ) : null}
      <FirewallPanel endpoint={endpoint} />
      {deleting ? <DeleteEndpointDialog id={endpoint.id} name={endpoint.name} onClose={() => setDeleting(false)} /> : null}
      {trusting ? <TrustCertificateDialog endpoint={endpoint} onClose={() => setTrusting(false)} /> : null}
    </article>
  );
}
