import { useId } from 'react';

/** What saving the host will do to its stored sudo password. */
export type SudoChange = { kind: 'keep' } | { kind: 'set'; password: string } | { kind: 'clear' };

interface Props {
  /** Whether one is stored now (a new host has none). */
  stored: boolean;
  change: SudoChange;
  onChange: (change: SudoChange) => void;
  user: string;
  error?: string | undefined;
  disabled?: boolean;
}

/**
 * Shows only whether a sudo password is stored; the password itself never comes back from main.
 * A new one is typed into a password field and sent once, when the host is saved.
 */
export function SudoPasswordControl({ stored, change, onChange, user, error, disabled }: Props) {
  const id = useId();
  const root = user.trim() === 'root';
  return (
    <div className={`field sudo-control${error ? ' field-invalid' : ''}`} role="group" aria-labelledby={`${id}-label`} data-testid="sudo-control" data-stored={stored}>
      <span id={`${id}-label`} className="field-label">
        Sudo password
      </span>
      {change.kind === 'set' ? (
        <div className="inline-form">
          <input
            id={`${id}-input`}
            type="password"
            className="input"
            value={change.password}
            onChange={(e) => onChange({ kind: 'set', password: e.target.value })}
            autoComplete="new-password"
            aria-label={`Sudo password for ${user || 'the login user'}`}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
            disabled={disabled}
            autoFocus
            data-testid="sudo-password-input"
          />
          <button type="button" className="btn btn-ghost" onClick={() => onChange({ kind: 'keep' })} disabled={disabled} data-testid="sudo-password-cancel">
            Cancel
          </button>
        </div>
      ) : (
        <div className="row-actions">
          <span className={`status ${change.kind === 'clear' ? 'status-failed' : stored ? 'status-ok' : 'status-none'}`} data-testid="sudo-status">
            {change.kind === 'clear' ? 'Will be cleared on save' : stored ? 'Stored' : 'Not set'}
          </span>
          {change.kind === 'clear' ? (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange({ kind: 'keep' })} disabled={disabled} data-testid="sudo-password-undo">
              Undo
            </button>
          ) : (
            <>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => onChange({ kind: 'set', password: '' })} disabled={disabled} data-testid="sudo-password-set">
                {stored ? 'Change…' : 'Set…'}
              </button>
              {stored ? (
                <button type="button" className="btn btn-danger-ghost btn-sm" onClick={() => onChange({ kind: 'clear' })} disabled={disabled} data-testid="sudo-password-clear">
                  Clear
                </button>
              ) : null}
            </>
          )}
        </div>
      )}
      {error ? (
        <p className="field-error" id={`${id}-error`} data-testid="field-error-sudoPassword">
          {error}
        </p>
      ) : null}
      <p className="field-hint" id={`${id}-hint`}>
        {root
          ? 'Not needed while the user is root.'
          : `Used when sudo asks ${user || 'the login user'} for a password (changing other accounts' keys, auditing every account). Stored encrypted in the vault and never shown again.`}
      </p>
    </div>
  );
}
