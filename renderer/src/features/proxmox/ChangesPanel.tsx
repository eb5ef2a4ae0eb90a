import { useState } from 'react';
import type { GuestChange } from '../../../../shared/domain/proxmox';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { useProxmoxStore } from '../../stores/proxmox';
import { toastSuccess } from '../../stores/ui';
import { ConfirmGoneDialog } from './ConfirmGoneDialog';
import { acceptResultText, changeText, type AcceptResult } from './pve-derive';

interface Props {
  changes: readonly GuestChange[];
  now: number;
}

const nameOf = (c: GuestChange) => (c.kind === 'renamed' ? c.to : c.name);

/**
 * The drift the last syncs found, for the user to accept: new guests (optionally added as hosts),
 * renames, address changes and gone guests. Nothing changes in the inventory until accepted.
 */
export function ChangesPanel({ changes, now }: Props) {
  const accept = useProxmoxStore((s) => s.accept);
  const [addAsHost, setAddAsHost] = useState(true);
  const [user, setUser] = useState('root');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [results, setResults] = useState<AcceptResult[]>([]);
  const [confirming, setConfirming] = useState<GuestChange[] | null>(null);
  const hasNew = changes.some((c) => c.kind === 'new');

  const run = async (picked: readonly GuestChange[]) => {
    setBusy(true);
    setError(null);
    try {
      // addHost only matters to new guests; a renamed guest without a host must not get one silently
      const fresh = picked.filter((c) => c.kind === 'new').map((c) => c.guestId);
      const others = picked.filter((c) => c.kind !== 'new').map((c) => c.guestId);
      const out: AcceptResult[] = [];
      if (fresh.length > 0) out.push(...(await accept(fresh, addAsHost ? { user: user.trim() || 'root' } : undefined)));
      if (others.length > 0) out.push(...(await accept(others)));
      setResults(out);
      toastSuccess(`${out.length} change${out.length === 1 ? '' : 's'} accepted`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // gone guests are removed from the vault: confirm first
  const request = (picked: GuestChange[]) => (picked.some((c) => c.kind === 'gone') ? setConfirming(picked) : void run(picked));

  return (
    <section className="pve-changes" aria-label="Changes to review" data-testid="pve-changes">
      {changes.length > 0 ? (
        <>
          <div className="pve-changes-bar">
            <h4>Changes to review</h4>
            {hasNew ? (
              <>
                <label className="checkbox">
                  <input type="checkbox" checked={addAsHost} onChange={(e) => setAddAsHost(e.target.checked)} data-testid="pve-add-as-host" />
                  Add new guests as hosts
                </label>
                <label className="pve-user">
                  login user
                  <input className="input input-narrow" value={user} disabled={!addAsHost} maxLength={64} onChange={(e) => setUser(e.target.value)} data-testid="pve-host-user" />
                </label>
              </>
            ) : null}
            <button type="button" className="btn btn-primary btn-sm" disabled={busy} onClick={() => request([...changes])} data-testid="pve-accept-all">
              Accept all
            </button>
          </div>
          <ul className="pve-change-list">
            {changes.map((change) => (
              <li key={`${change.kind}-${change.guestId}`} className={`pve-change is-${change.kind}`} data-testid="pve-change" data-kind={change.kind}>
                <span className="badge badge-muted">{change.kind}</span>
                <span>{changeText(change, now)}</span>
                <button type="button" className="btn btn-secondary btn-sm" disabled={busy} onClick={() => request([change])} data-testid="pve-accept">
                  Accept
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <FormError testId="pve-accept-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
      {results.length > 0 ? (
        <ul className="pve-accept-results" data-testid="pve-accept-results" aria-live="polite">
          {results.map((r) => (
            <li key={r.guestId}>{acceptResultText(r)}</li>
          ))}
        </ul>
      ) : null}
      {confirming ? (
        <ConfirmGoneDialog
          names={confirming.filter((c) => c.kind === 'gone').map(nameOf)}
          onClose={() => setConfirming(null)}
          onConfirm={() => {
            const picked = confirming;
            setConfirming(null);
            void run(picked);
          }}
        />
      ) : null}
    </section>
  );
}
