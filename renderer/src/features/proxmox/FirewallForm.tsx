import type { Host } from '../../../../shared/domain/host';
import { Field } from '../../components/Field';
import type { FieldErrors } from '../../lib/errors';
import type { FirewallDraft } from './firewall-derive';

interface Props {
  draft: FirewallDraft;
  errors: FieldErrors;
  hosts: readonly Host[];
  /** Hosts at the node's address (or a synced node IP): listed first. */
  nodeHosts: readonly Host[];
  disabled: boolean;
  onEdit: (key: keyof FirewallDraft, value: string) => void;
}

/** The datacenter firewall's settings, each with what it is for. */
export function FirewallForm({ draft, errors, hosts, nodeHosts, disabled, onEdit }: Props) {
  const others = hosts.filter((h) => !nodeHosts.includes(h));
  const text = (key: keyof FirewallDraft) => ({
    value: draft[key],
    disabled,
    onChange: (e: { target: { value: string } }) => onEdit(key, e.target.value),
  });
  return (
    <div className="pve-fw-form">
      <Field label="SSH sources" name="sshFrom" error={errors.sshFrom} hint="Addresses or CIDRs allowed to SSH to the nodes, comma or newline separated.">
        {(control) => <textarea {...control} {...text('sshFrom')} className="input mono" rows={2} spellCheck={false} data-testid="pve-fw-ssh-from" />}
      </Field>
      <Field label="SSH port" name="sshPort" error={errors.sshPort} hint="The nodes' real SSH port.">
        {(control) => <input {...control} {...text('sshPort')} className="input input-narrow mono" inputMode="numeric" maxLength={5} data-testid="pve-fw-ssh-port" />}
      </Field>
      <Field label="Internal network (optional)" name="internalCidr" error={errors.internalCidr} hint="A CIDR allowed everything inbound; leave empty for no such rule.">
        {(control) => <input {...control} {...text('internalCidr')} className="input mono" maxLength={64} data-testid="pve-fw-internal" />}
      </Field>
      <Field label="Web UI addresses (optional)" name="webUiFrom" error={errors.webUiFrom} hint="Added to the management IPSet; these and Bulwark keep 8006 and SSH.">
        {(control) => <textarea {...control} {...text('webUiFrom')} className="input mono" rows={2} spellCheck={false} data-testid="pve-fw-web-ui" />}
      </Field>
      <Field label="Bulwark's address as the node sees it (optional)" name="self" error={errors.self} hint="Only needed behind a NAT; by default the address of Bulwark's API connection.">
        {(control) => <input {...control} {...text('self')} className="input mono" maxLength={64} data-testid="pve-fw-self" />}
      </Field>
      <Field
        label="The inventory host that is this node"
        name="sshHostId"
        error={errors.sshHostId}
        hint="Required to apply: Bulwark checks a fresh SSH login to it before keeping the firewall on."
      >
        {(control) => (
          <select {...control} {...text('sshHostId')} className="input" data-testid="pve-fw-ssh-host">
            <option value="">Choose a host…</option>
            {nodeHosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name} ({h.address}), at this node&apos;s address
              </option>
            ))}
            {others.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name} ({h.address})
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
