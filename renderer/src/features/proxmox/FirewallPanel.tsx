import { useMemo, useState } from 'react';
import { nodeHostCandidates } from '../../../../shared/domain/proxmox';
import { fieldErrorsOf, type FieldErrors } from '../../lib/errors';
import { useHostsStore } from '../../stores/hosts';
import { EMPTY_FIREWALL_ENTRY, useFirewallStore } from '../../stores/proxmox-firewall';
import { ConfirmFirewallDialog } from './ConfirmFirewallDialog';
import { FirewallApplyStatus } from './FirewallApplyStatus';
import { FirewallForm } from './FirewallForm';
import { FirewallPlanTables } from './FirewallPlanTables';
import { applyBlocker, buildFirewallRequest, EMPTY_FIREWALL_DRAFT, type FirewallDraft } from './firewall-derive';
import type { EndpointState } from './pve-derive';

interface Props {
  endpoint: Pick<EndpointState, 'id' | 'name' | 'address' | 'lastSync'>;
}

/**
 * One endpoint's datacenter firewall step, collapsed until asked for: settings → Plan (nothing
 * written) → review → Apply… → confirm → live steps → outcome. The draft stays while collapsed.
 */
export function FirewallPanel({ endpoint }: Props) {
  const { id: endpointId, name: endpointName } = endpoint;
  const entry = useFirewallStore((s) => s.byEndpoint[endpointId] ?? EMPTY_FIREWALL_ENTRY);
  const hosts = useHostsStore((s) => s.hosts);
  const nodeHosts = useMemo(() => nodeHostCandidates(hosts, endpoint), [hosts, endpoint]);
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<FirewallDraft>(EMPTY_FIREWALL_DRAFT);
  // the one inventory host at the node's address is the default, until the user picks one
  const sshHostId = draft.sshHostId || (nodeHosts.length === 1 ? nodeHosts[0]!.id : '');
  const [formErrors, setFormErrors] = useState<FieldErrors>({});
  const [confirming, setConfirming] = useState(false);
  const bodyId = `pve-fw-${endpointId}`;
  const { plan, busy } = entry;
  const errors = { ...fieldErrorsOf(entry.error, 'params'), ...formErrors };
  const blocker = plan ? applyBlocker(plan, sshHostId) : null;
  const hostName = hosts.find((h) => h.id === sshHostId)?.name ?? 'the chosen host';

  const edit = (key: keyof FirewallDraft, value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setFormErrors((f) => ({ ...f, [key]: '' }));
    // the host is only used by apply; any other change makes the plan on screen not the one applied
    if (key !== 'sshHostId') useFirewallStore.getState().discard(endpointId);
  };

  const makePlan = () => {
    const { request, errors: found } = buildFirewallRequest(draft);
    setFormErrors(found);
    if (request) void useFirewallStore.getState().plan(endpointId, request);
  };

  const apply = () => {
    setConfirming(false);
    void useFirewallStore.getState().apply(endpointId, sshHostId);
  };

  return (
    <section className="pve-fw" aria-label="Datacenter firewall" data-testid="pve-fw">
      <button type="button" className="btn btn-ghost btn-sm pve-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)} data-testid="pve-fw-toggle">
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> Datacenter firewall
      </button>
      {open ? (
        <div className="pve-fw-body" id={bodyId}>
          <FirewallForm draft={{ ...draft, sshHostId }} errors={errors} hosts={hosts} nodeHosts={nodeHosts} disabled={busy !== null} onEdit={edit} />
          <div className="pve-fw-actions">
            <button type="button" className="btn btn-secondary btn-sm" disabled={busy !== null} aria-busy={busy === 'planning'} onClick={makePlan} data-testid="pve-fw-plan">
              {busy === 'planning' ? 'Planning…' : 'Plan'}
            </button>
            {plan ? (
              <button type="button" className="btn btn-primary btn-sm" disabled={busy !== null || blocker !== null} title={blocker ?? undefined} onClick={() => setConfirming(true)} data-testid="pve-fw-apply">
                {busy === 'applying' ? 'Applying…' : 'Apply…'}
              </button>
            ) : null}
            {blocker && !plan?.refused ? <span className="muted">{blocker}</span> : null}
          </div>
          {plan ? <FirewallPlanTables plan={plan} /> : null}
          <FirewallApplyStatus entry={entry} />
        </div>
      ) : null}
      {confirming ? <ConfirmFirewallDialog endpointName={endpointName} hostName={hostName} onConfirm={apply} onClose={() => setConfirming(false)} /> : null}
    </section>
  );
}
