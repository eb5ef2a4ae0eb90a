import { Dialog } from '../../components/Dialog';

interface Props {
  endpointName: string;
  hostName: string;
  onConfirm: () => void;
  onClose: () => void;
}

/** The last step before the firewall goes on: the order of the writes and the two safety nets. */
export function ConfirmFirewallDialog({ endpointName, hostName, onConfirm, onClose }: Props) {
  return (
    <Dialog
      title={`Turn on the datacenter firewall of ${endpointName}?`}
      onClose={onClose}
      testId="pve-fw-confirm-dialog"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus="" data-testid="pve-fw-confirm-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={onConfirm} data-testid="pve-fw-confirm">
            Apply the plan
          </button>
        </>
      }
    >
      <ol className="pve-fw-list pve-fw-confirm-steps">
        <li>The management IPSet entries and the rules are written first: they only open things.</li>
        <li>Then the firewall is turned on with Proxmox&apos;s own 60-second safety net: unless confirmed, the node turns it off again by itself.</li>
        <li>
          Bulwark confirms only after a fresh API call and a fresh SSH login to <strong>{hostName}</strong> succeed. If either fails, it rolls back: the options restored and its additions taken
          back.
        </li>
      </ol>
      <p className="muted">Rules you made yourself are never changed. If the firewall changed since this plan, nothing is written.</p>
    </Dialog>
  );
}
