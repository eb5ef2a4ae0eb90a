import { useState } from 'react';
import type { Host } from '../../../../shared/domain/host';
import { Dialog } from '../../components/Dialog';
import type { SshKey } from '../../stores/keys';

const LISTED = 8;

interface Props {
  sshKey: SshKey;
  hosts: readonly Host[];
  account: string | undefined;
  onConfirm: (force: boolean) => void;
  onClose: () => void;
}

/**
 * The confirm step before a revoke. "force" stays behind an explicit checkbox: it removes the
 * key even where Bulwark logs in with it, which can leave nobody able to log in.
 */
export function RevokeDialog({ sshKey, hosts, account, onConfirm, onClose }: Props) {
  const [force, setForce] = useState(false);
  const n = hosts.length;
  return (
    <Dialog
      title={`Revoke ${sshKey.name} from ${n} ${n === 1 ? 'host' : 'hosts'}?`}
      onClose={onClose}
      testId="revoke-dialog"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus="" data-testid="revoke-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={() => onConfirm(force)} data-testid="revoke-confirm">
            {force ? `Force revoke from ${n}` : `Revoke from ${n}`}
          </button>
        </>
      }
    >
      <p>
        Every authorized_keys line with this key is removed from {account ? <strong className="mono">{account}</strong> : "each host's login user"}. Other lines
        stay as they are.
      </p>
      <p className="mono small">{sshKey.fingerprint}</p>
      <ul className="name-list">
        {hosts.slice(0, LISTED).map((h) => (
          <li key={h.id} className="mono">
            {h.name}
          </li>
        ))}
        {n > LISTED ? <li className="muted">and {n - LISTED} more</li> : null}
      </ul>
      <div className="notice notice-danger">
        <label className="checkbox align-start">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="revoke-force" />
          <span>
            <strong>Also where Bulwark logs in with this key (force).</strong> Without this, such hosts are skipped with an error. With it,
            Bulwark — and anyone who only has this key — is locked out of them unless another key or a password still works.
          </span>
        </label>
      </div>
    </Dialog>
  );
}
