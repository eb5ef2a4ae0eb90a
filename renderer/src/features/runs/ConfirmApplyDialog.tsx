import type { RunReply } from '../../../../shared/domain/hardening';
import { Dialog } from '../../components/Dialog';
import { plural } from './run-text';

interface Props {
  plan: RunReply;
  profileName: string;
  hostCount: number;
  onConfirm: () => void;
  onClose: () => void;
}

/**
 * The last step before changing hosts, always after a fresh plan of the same selection: what
 * changes where, which changes can cut SSH access, and the safety net that guards them.
 */
export function ConfirmApplyDialog({ plan, profileName, hostCount, onConfirm, onClose }: Props) {
  const g = plan.grouped;
  const toChange = g.changes.reduce((n, c) => n + c.hosts.length, 0);
  const cutting = g.changes.filter((c) => c.cutsAccess).reduce((n, c) => n + c.hosts.length, 0);
  const files = new Set(g.changes.flatMap((c) => c.files.map((f) => f.path)));
  const refusedHosts = new Set(g.refused.flatMap((r) => r.hosts)).size;
  return (
    <Dialog
      title={`Apply ${profileName} to ${plural(hostCount, 'host')}?`}
      onClose={onClose}
      testId="confirm-apply-dialog"
      size="lg"
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus="" data-testid="confirm-apply-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={onConfirm} data-testid="confirm-apply">
            {toChange > 0 ? `Apply to ${plural(hostCount, 'host')}` : `Apply anyway (nothing to change)`}
          </button>
        </>
      }
    >
      <ul className="confirm-summary" data-testid="confirm-apply-summary" data-to-change={toChange} data-cuts-access={cutting}>
        <li>
          <strong>{plural(toChange, 'host')}</strong> will change ({plural(g.changes.length, 'distinct change')}
          {files.size > 0 ? `, ${plural(files.size, 'file')}: ${[...files].slice(0, 4).join(', ')}${files.size > 4 ? ', …' : ''}` : ''}).
        </li>
        <li>{plural(g.unchanged.length, 'host')} already compliant: left alone.</li>
        {cutting > 0 ? (
          <li data-testid="confirm-cuts-access">
            <strong className="warning-text">{plural(cutting, 'host')}</strong> get changes that can cut SSH access (sshd, firewall, port).
          </li>
        ) : null}
        {refusedHosts > 0 ? <li className="warning-text">{plural(refusedHosts, 'host')} with a refused control: that control is not applied there (see the plan).</li> : null}
        {g.failed.length > 0 ? <li className="warning-text">{plural(g.failed.length, 'host')} could not be planned and will probably fail again.</li> : null}
      </ul>
      <div className="notice">
        <strong>The safety net</strong>
        <ul>
          <li>Every file touched is backed up on the host first (/var/backups/bulwark/RUN).</li>
          <li>
            Before a change that can cut access, the host arms a dead-man switch: it restores everything by itself after 90 s unless Bulwark
            disarms it.
          </li>
          <li>Each host is verified from a fresh SSH connection while the original session stays open; only then is the switch disarmed.</li>
          <li>A host that fails verification is rolled back automatically through the open session.</li>
        </ul>
      </div>
    </Dialog>
  );
}
