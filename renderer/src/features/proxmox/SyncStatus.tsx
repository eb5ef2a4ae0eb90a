import { FormError } from '../../components/FormError';
import type { BulwarkError } from '../../../../shared/errors';
import { pinMismatch, progressRatio, progressText, type SyncProgress } from './pve-derive';

interface Props {
  /** undefined: no sync running; null: running, no progress event yet. */
  progress: SyncProgress | null | undefined;
  error: BulwarkError | undefined;
  /** Opens the check of the certificate the endpoint presents now (offered on TLS_PIN_MISMATCH). */
  onCheckCertificate: () => void;
}

/** A running sync's progress bar and text, or why the last one failed (TLS_PIN_MISMATCH, PVE_AUTH_FAILED…). */
export function SyncStatus({ progress, error, onCheckCertificate }: Props) {
  if (progress !== undefined) {
    const ratio = progressRatio(progress);
    return (
      <div className="pve-sync-progress" data-testid="pve-sync-progress" role="status">
        <progress max={1} value={ratio ?? undefined} aria-label="Sync progress" />
        <span>{progressText(progress)}</span>
      </div>
    );
  }
  if (!error) return null;
  const failed = <FormError testId="pve-sync-error" message={`Sync failed: ${error.message}`} code={error.code} />;
  // a changed certificate is fixed from here: compare the new one and pin it, nothing to retype
  if (!pinMismatch(error)) return failed;
  return (
    <div className="pve-pin-mismatch">
      {failed}
      <button type="button" className="btn btn-secondary btn-sm" onClick={onCheckCertificate} data-testid="pve-trust-open">
        Check new certificate…
      </button>
    </div>
  );
}
