import { FormError } from '../../components/FormError';
import type { BulwarkError } from '../../../../shared/errors';
import { progressRatio, progressText, type SyncProgress } from './pve-derive';

interface Props {
  /** undefined: no sync running; null: running, no progress event yet. */
  progress: SyncProgress | null | undefined;
  error: BulwarkError | undefined;
}

/** A running sync's progress bar and text, or why the last one failed (TLS_PIN_MISMATCH, PVE_AUTH_FAILED…). */
export function SyncStatus({ progress, error }: Props) {
  if (progress !== undefined) {
    const ratio = progressRatio(progress);
    return (
      <div className="pve-sync-progress" data-testid="pve-sync-progress" role="status">
        <progress max={1} value={ratio ?? undefined} aria-label="Sync progress" />
        <span>{progressText(progress)}</span>
      </div>
    );
  }
  if (error) return <FormError testId="pve-sync-error" message={`Sync failed: ${error.message}`} code={error.code} />;
  return null;
}
