import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { copyText } from '../../lib/clipboard';
import { toastError } from '../../stores/ui';
import { useVaultStore } from '../../stores/vault';
import { groupsOf, lastGroup, sameGroup } from './recovery-key';
import { VaultFrame } from './VaultFrame';

/**
 * Shows the recovery key exactly once. Continuing requires proof of having kept it: the tick
 * box alone is too easy to click through, so the user also retypes its last group.
 */
export function RecoveryKeyStep({ recoveryKey }: { recoveryKey: string }) {
  const acknowledge = useVaultStore((s) => s.acknowledgeRecoveryKey);
  const [stored, setStored] = useState(false);
  const [typed, setTyped] = useState('');
  const [copied, setCopied] = useState(false);
  const groups = groupsOf(recoveryKey);
  const matches = sameGroup(typed, lastGroup(recoveryKey));
  const canContinue = stored && matches;

  const copy = async () => {
    try {
      await copyText(recoveryKey);
      setCopied(true);
    } catch (e) {
      toastError('Could not copy the recovery key', e);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (canContinue) acknowledge();
  };

  return (
    <VaultFrame
      testId="recovery-key-step"
      title="Save your recovery key"
      subtitle="If you forget your passphrase, this key is the only way back into the vault. It is shown this one time and Bulwark does not keep a readable copy."
    >
      <div className="recovery-key-box">
        <code className="recovery-key" data-testid="recovery-key" aria-label="Recovery key">
          {groups.map((g, i) => (
            <span key={i}>{g}</span>
          ))}
        </code>
        <button type="button" className="btn btn-secondary" onClick={copy} data-testid="copy-recovery-key">
          <Icon name="copy" /> {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="muted small">Store it in a password manager or print it and keep it somewhere safe, away from this computer. Clear the clipboard afterwards.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <label className="checkbox">
          <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} data-testid="recovery-stored-checkbox" />
          <span>I have stored it somewhere safe</span>
        </label>
        <Field
          label="Type the last group of the key to confirm"
          name="recovery-last-group"
          error={typed.trim().length >= 4 && !matches ? 'does not match the last group' : undefined}
        >
          {(control) => (
            <input
              {...control}
              className="input mono"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              maxLength={8}
              autoComplete="off"
              spellCheck={false}
              data-testid="recovery-last-group"
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary btn-block" disabled={!canContinue} data-testid="recovery-continue">
          Continue to Bulwark
        </button>
      </form>
    </VaultFrame>
  );
}
