import { useId } from 'react';

/** What saving the host will do to a stored password. */
export type SecretChange = { kind: 'keep' } | { kind: 'set'; password: string } | { kind: 'clear' };

export interface SecretCopy {
  /** "Sudo password" */
  label: string;
  /** Test ids: `${prefix}-input`, `${prefix}-set`, ... ("sudo-password"). */
  prefix: string;
  /** What it is used for, for this user. */
  hint: (user: string) => string;
}

interface Props {
  copy: SecretCopy;
  /** Whether one is stored now (a new host has none). */
  stored: boolean;
  change: SecretChange;
  onChange: (change: SecretChange) => void;
  user: string;
  error?: string | undefined;
  disabled?: boolean;
}

/**
 * Shows only whether a password is stored; the password itself never comes back from main.
 * A new one is typed into a password field and sent once, when the host is saved.
 */
export function HostSecretControl({ copy, stored, change, onChange, user, error, disabled }: Props) {
  const id = useId();
  const p = copy.prefix;
  return (
    <div className={`field sudo-control${error ? ' field-invalid' : ''}`} role="group" aria-labelledby={`${id}-label`} data-testid={`${p}-control`} data-stored={stored}>
      <span id={`${id}-label`} className="field-label">
        {copy.label}
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
            aria-label={`${copy.label} for ${user || 'the login user'}`}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
            disabled={disabled}
            autoFocus
            data-testid={`${p}-input`}
          />
          <button type="button" className="btn btn-ghost" onClick={() => onChange({ kind: 'keep' })} disabled={disabled} data-testid={`${p}-cancel`}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="row-actions">
          <span className={`status ${change.kind === 'clear' ? 'status-failed' : stored ? 'status-ok' : 'status-none'}`} data-testid={`${p}-status`}>
            {change.kind === 'clear' ? 'Will be cleared on save' : stored ? 'Stored' : 'Not set'}
          </span>
          {change.kind === 'clear' ? (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange({ kind: 'keep' })} disabled={disabled} data-testid={`${p}-undo`}>
              Undo
            </button>
          ) : (
            <>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => onChange({ kind: 'set', password: '' })} disabled={disabled} data-testid={`${p}-set`}>
                {stored ? 'Change…' : 'Set…'}
              </button>
              {stored ? (
                <button type="button" className="btn btn-danger-ghost btn-sm" onClick={() => onChange({ kind: 'clear' })} disabled={disabled} data-testid={`${p}-clear`}>
                  Clear
                </button>
              ) : null}
            </>
          )}
        </div>
      )}
      {error ? (
        <p className="field-error" id={`${id}-error`} data-testid={`field-error-${p}`}>
          {error}
        </p>
      ) : null}
      <p className="field-hint" id={`${id}-hint`}>
        {copy.hint(user)}
      </p>
    </div>
  );
}

export const SUDO_PASSWORD: SecretCopy = {
  label: 'Sudo password',
  prefix: 'sudo-password',
  hint: (user) =>
    user.trim() === 'root'
      ? 'Not needed while the user is root.'
      : `Used when sudo asks ${user || 'the login user'} for a password (changing other accounts' keys, auditing every account, hardening). Stored encrypted in the vault and never shown again.`,
};

export const LOGIN_PASSWORD: SecretCopy = {
  label: 'Login password',
  prefix: 'login-password',
  hint: (user) =>
    `Tried after the keys and the agent, for a host that has no key yet; sudo uses it too when no sudo password is set. Hardening will not turn password login off while ${user || 'the login user'} gets in only this way.`,
};
