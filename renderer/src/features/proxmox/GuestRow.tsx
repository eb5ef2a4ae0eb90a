import type { Host } from '../../../../shared/domain/host';
import type { PveGuest } from '../../../../shared/domain/proxmox';
import { guestStatus, osLabel } from './pve-derive';

interface Props {
  guest: PveGuest;
  linkedHost: Host | undefined;
}

/** One VM or container: what Proxmox says about it and the inventory host it is linked to. */
export function GuestRow({ guest, linkedHost }: Props) {
  const status = guestStatus(guest);
  const addresses = guest.addresses.map((a) => a.address);
  const os = osLabel(guest);
  return (
    <tr className="pve-guest" data-testid="pve-guest" data-vmid={guest.vmid} data-status={status}>
      <td className="mono">{guest.vmid}</td>
      <td>
        {guest.name}
        {guest.template ? <span className="badge badge-muted pve-template">template</span> : null}
      </td>
      <td>
        <span className="badge badge-muted">{guest.type === 'qemu' ? 'VM (qemu)' : 'CT (lxc)'}</span>
        {os ? (
          <span className="muted pve-os" data-testid="pve-guest-os">
            {' '}
            {os}
          </span>
        ) : null}
      </td>
      <td>
        <span className={`pve-status is-${status}`} data-testid="pve-guest-status">
          {status}
        </span>
      </td>
      <td className="mono pve-addresses" data-testid="pve-guest-addresses">
        {addresses.length > 0 ? addresses.join(', ') : <span className="muted pve-note">{guest.addressNote ?? '–'}</span>}
        {addresses.length > 0 && guest.addressSource === 'config' ? (
          <span className="muted pve-note" data-testid="pve-guest-configured" title={`From the guest's Proxmox configuration: ${guest.addressNote ?? 'the guest could not be asked'}`}>
            {' '}
            (configured)
          </span>
        ) : null}
      </td>
      <td>
        <span className="pve-tags">
          {guest.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))}
        </span>
      </td>
      <td data-testid="pve-guest-host">{linkedHost ? linkedHost.name : <span className="muted">not in inventory</span>}</td>
    </tr>
  );
}
