import { NotBuilt } from '../../components/NotBuilt';

export function ProxmoxView() {
  return (
    <NotBuilt
      section="proxmox"
      title="Proxmox VE"
      issue={6}
      summary="Connect Bulwark to your Proxmox VE nodes with API tokens."
      planned={[
        'Register nodes with an API token and a pinned TLS certificate fingerprint.',
        'List VMs and containers, and add them to the inventory linked to their guest.',
        'Review the cluster firewall options and rules.',
      ]}
    />
  );
}
