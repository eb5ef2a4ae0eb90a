import { useState } from 'react';
import type { Host } from '../../../../shared/domain/host';
import { GuestRow } from './GuestRow';
import { formatBytes, formatCpu, formatUptime, guestKey, type NodeBranch } from './pve-derive';

interface Props {
  endpointId: string;
  branch: NodeBranch;
  hostsByGuest: ReadonlyMap<string, Host>;
}

/** A node's line (online, CPU, memory, uptime) and, unless collapsed, its guests. */
export function NodeBranchView({ endpointId, branch, hostsByGuest }: Props) {
  const [open, setOpen] = useState(true);
  const { status } = branch;
  const online = status?.online ?? false;
  const listId = `pve-guests-${endpointId}-${branch.name}`;
  return (
    <li className="pve-node" data-testid="pve-node" data-node={branch.name} data-online={String(online)}>
      <div className="pve-node-line">
        <button type="button" className="btn btn-ghost btn-sm pve-toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)} data-testid="pve-node-toggle">
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {branch.name}
        </button>
        <span className={`pve-status is-${online ? 'running' : 'offline'}`}>{status ? (online ? 'online' : 'offline') : 'not listed'}</span>
        {status ? (
          <span className="pve-node-stats muted">
            <span title="CPU">CPU {formatCpu(status.cpu)}</span>
            <span title="Memory used / total">
              RAM {formatBytes(status.mem)} / {formatBytes(status.maxmem)}
            </span>
            <span title="Uptime">up {formatUptime(status.uptime)}</span>
          </span>
        ) : null}
        <span className="chip-count" title="Guests on this node">
          {branch.guests.length}
        </span>
      </div>
      {open ? (
        branch.guests.length > 0 ? (
          <table className="pve-guests" id={listId}>
            <thead>
              <tr>
                <th scope="col">VMID</th>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Addresses</th>
                <th scope="col">Tags</th>
                <th scope="col">Inventory host</th>
              </tr>
            </thead>
            <tbody>
              {branch.guests.map((guest) => (
                <GuestRow key={guest.id} guest={guest} linkedHost={hostsByGuest.get(guestKey(endpointId, guest.vmid))} />
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted pve-none" id={listId}>
            No guests on this node.
          </p>
        )
      ) : null}
    </li>
  );
}
