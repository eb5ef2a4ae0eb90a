import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useLogsStore, type BanActionOutcome } from '../../stores/logs';
import { toastSuccess, useUiStore } from '../../stores/ui';

export interface BanTarget {
  id: string;
  name: string;
}

export interface BanRequest {
  action: 'ban' | 'unban';
  ip: string;
  jail: string;
  /** A host id, or 'all' for every target. */
  hostId: string;
}

interface Props {
  initial: BanRequest;
  /** The hosts it may run on: the followed hosts for a ban, the one host for an unban. */
  targets: readonly BanTarget[];
  onClose: () => void;
}

const JAIL = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/;

function outcomeText(o: BanActionOutcome): string {
  if (!o.ok) return `${o.error.message} (${o.error.code})`;
  return o.output.trim() || (o.applied ? 'done' : 'refused');
}

/**
 * Confirms a ban or unban, runs it on each chosen host (fail2ban-client over SSH, one host at a
 * time so a slow host's answer is still seen in order) and shows every host's answer here.
 */
export function BanDialog({ initial, targets, onClose }: Props) {
  const banAction = useLogsStore((s) => s.banAction);
  const [req, setReq] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<BanActionOutcome[] | null>(null);
  const verb = req.action === 'ban' ? 'Ban' : 'Unban';
  const chosen = req.hostId === 'all' ? targets : targets.filter((t) => t.id === req.hostId);
  const nameOf = (id: string) => targets.find((t) => t.id === id)?.name ?? id;
  const problem = !req.ip.trim() ? 'Enter an address' : !JAIL.test(req.jail) ? 'Not a fail2ban jail name' : chosen.length === 0 ? 'Choose a host' : null;

  const run = async () => {
    if (problem || busy) return;
    setBusy(true);
    const results: BanActionOutcome[] = [];
    for (const t of chosen) {
      results.push(await banAction({ hostId: t.id, action: req.action, jail: req.jail, ip: req.ip.trim() }));
      setOutcomes([...results]);
    }
    setBusy(false);
    const failed = results.filter((r) => !r.ok || !r.applied).length;
    const title = `${verb} ${req.ip.trim()} in ${req.jail}`;
    if (failed === 0) toastSuccess(`${title}: done on ${results.length === 1 ? nameOf(results[0]!.hostId) : `${results.length} hosts`}`);
    else useUiStore.getState().pushToast({ kind: 'error', title: `${title}: failed on ${failed} of ${results.length} hosts`, detail: 'See the dialog for each host’s answer.' });
  };

  const editable = req.action === 'ban' && outcomes === null;
  return (
    <Dialog
      title={`${verb} an address`}
      onClose={onClose}
      busy={busy}
      testId="ban-dialog"
      description={req.action === 'unban' ? 'fail2ban-client set JAIL unbanip IP, run with sudo on the host.' : 'fail2ban-client set JAIL banip IP, run with sudo on each host chosen.'}
      footer={
        outcomes !== null && !busy ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="ban-close">
            Close
          </button>
        ) : (
          <>
            <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="button" className={`btn ${req.action === 'ban' ? 'btn-danger' : 'btn-primary'}`} onClick={() => void run()} disabled={busy || problem !== null} data-testid="ban-confirm">
              {busy ? `${verb}ning…` : `${verb} ${req.ip.trim() || 'address'} on ${chosen.length === 1 ? chosen[0]!.name : `${chosen.length} hosts`}`}
            </button>
          </>
        )
      }
    >
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Address</span>
          <input className="input mono" value={req.ip} readOnly={!editable} onChange={(e) => setReq({ ...req, ip: e.target.value })} data-testid="ban-ip" data-autofocus />
        </label>
        <label className="field">
          <span className="field-label">Jail</span>
          <input className="input mono" value={req.jail} readOnly={!editable} onChange={(e) => setReq({ ...req, jail: e.target.value })} data-testid="ban-jail" />
        </label>
        <label className="field">
          <span className="field-label">Host</span>
          <select className="input" value={req.hostId} disabled={!editable} onChange={(e) => setReq({ ...req, hostId: e.target.value })} data-testid="ban-target">
            {targets.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
            {req.action === 'ban' && targets.length > 1 ? <option value="all">All {targets.length} followed hosts</option> : null}
          </select>
        </label>
      </div>
      {problem && editable ? <p className="field-error small">{problem}</p> : null}
      {outcomes ? (
        <ul className="ban-results" aria-live="polite">
          {outcomes.map((o) => (
            <li key={o.hostId} className={o.ok && o.applied ? 'is-ok' : 'is-failed'} data-testid="ban-result" data-host={nameOf(o.hostId)} data-ok={String(o.ok && o.applied)}>
              <strong>{nameOf(o.hostId)}</strong>: <span className="mono">{outcomeText(o)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </Dialog>
  );
}
