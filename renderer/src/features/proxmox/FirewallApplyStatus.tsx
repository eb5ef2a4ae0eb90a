import { FormError } from '../../components/FormError';
import type { FirewallEntry } from '../../stores/proxmox-firewall';
import { firewallErrorText, outcomeText } from './firewall-derive';

/** An apply's steps as they happen, then its outcome; or why the last plan or apply failed. */
export function FirewallApplyStatus({ entry }: { entry: FirewallEntry }) {
  const { busy, steps, result, error } = entry;
  return (
    <>
      {result ? (
        <p className={`pve-fw-outcome is-${result.outcome.replaceAll(' ', '-')}`} role="status" data-testid="pve-fw-outcome" data-outcome={result.outcome}>
          {outcomeText(result)}
        </p>
      ) : null}
      {busy === 'applying' || steps.length > 0 ? (
        <ol className="pve-fw-list pve-fw-steps" aria-live="polite" aria-label="Apply steps">
          {steps.map((step, i) => (
            <li key={`${i}-${step}`} data-testid="pve-fw-step">
              {step}
            </li>
          ))}
          {busy === 'applying' ? <li className="muted">Applying…</li> : null}
        </ol>
      ) : null}
      <FormError testId="pve-fw-error" message={error ? firewallErrorText(error) : null} code={error?.code} />
    </>
  );
}
