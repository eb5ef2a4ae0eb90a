import { useMemo, useState } from 'react';
import { useHostsStore } from '../../stores/hosts';
import { useKeysStore } from '../../stores/keys';
import { hostsNeedingTrust, isRunning, useJobsStore, type JobRequest } from '../../stores/jobs';
import { toastError } from '../../stores/ui';
import { AuditMatrixView } from './AuditMatrix';
import { FleetActionForm } from './FleetActionForm';
import { HostKeyTrustDialog } from './HostKeyTrustDialog';
import { HostPicker, useSelectedHosts } from './HostPicker';
import { JobProgress } from './JobProgress';
import { RevokeDialog } from './RevokeDialog';

type RevokeRequest = Extract<JobRequest, { op: 'revoke' }>;

/** Host picker on the left; the operation, its live progress and the audit matrix on the right. */
export function FleetPanel() {
  const job = useJobsStore((s) => s.job);
  const start = useJobsStore((s) => s.start);
  const allHosts = useHostsStore((s) => s.hosts);
  const keys = useKeysStore((s) => s.keys);
  const picked = useSelectedHosts();
  const [trust, setTrust] = useState<{ hostIds: string[]; fromJob: boolean } | null>(null);
  const [revoke, setRevoke] = useState<RevokeRequest | null>(null);
  const running = isRunning(job);
  const hostOrder = useMemo(() => job?.rows.map((r) => r.name) ?? [], [job?.rows]);

  const launch = async (request: JobRequest) => {
    const byId = new Map(allHosts.map((h) => [h.id, h]));
    const hosts = request.hostIds.flatMap((id) => {
      const h = byId.get(id);
      return h ? [{ id: h.id, name: h.name }] : [];
    });
    try {
      await start(request, hosts);
    } catch (e) {
      toastError('Could not start the job', e);
      return;
    }
    // A host that refused because of its host key needs the user before anything else works there.
    const done = useJobsStore.getState().job;
    const ids = done?.request === request ? hostsNeedingTrust(done) : [];
    if (ids.length > 0) setTrust({ hostIds: ids, fromJob: true });
  };

  const run = (request: JobRequest) => {
    if (request.op === 'revoke') setRevoke(request);
    else void launch(request);
  };

  const revokeKey = revoke ? keys.find((k) => k.id === revoke.keyId) : undefined;
  const revokeHosts = revoke ? allHosts.filter((h) => revoke.hostIds.includes(h.id)) : [];

  return (
    <div className="fleet" data-testid="fleet-panel">
      <HostPicker disabled={running} />
      <div className="fleet-main">
        <FleetActionForm hosts={picked} disabled={running} onRun={run} onCheckHostKeys={() => setTrust({ hostIds: picked.map((h) => h.id), fromJob: false })} />
        {job ? <JobProgress job={job} onRetry={run} onReviewHostKeys={(hostIds) => setTrust({ hostIds, fromJob: true })} /> : null}
        {job?.audit ? <AuditMatrixView reply={job.audit} hostOrder={hostOrder} /> : null}
      </div>

      {trust ? <HostKeyTrustDialog hostIds={trust.hostIds} fromJob={trust.fromJob} onClose={() => setTrust(null)} /> : null}
      {revoke && revokeKey ? (
        <RevokeDialog
          sshKey={revokeKey}
          hosts={revokeHosts}
          account={revoke.account}
          onClose={() => setRevoke(null)}
          onConfirm={(force) => {
            setRevoke(null);
            void launch(force ? { ...revoke, force: true } : revoke);
          }}
        />
      ) : null}
    </div>
  );
}
