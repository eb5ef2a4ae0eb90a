import { useState } from 'react';
import { useVaultStore, type LockReason } from '../../stores/vault';
import { RecoverForm } from './RecoverForm';
import { UnlockForm } from './UnlockForm';
import { VaultFrame } from './VaultFrame';

const REASONS: Record<LockReason, string> = {
  user: 'The vault was locked.',
  idle: 'The vault locked itself after a period of inactivity.',
  'passphrase-changed': 'The passphrase was changed. Unlock with the new one.',
};

export function UnlockScreen() {
  const [mode, setMode] = useState<'unlock' | 'recover'>('unlock');
  const reason = useVaultStore((s) => s.lockReason);
  const path = useVaultStore((s) => s.status?.path);
  if (mode === 'recover') {
    return (
      <VaultFrame testId="recover-screen" title="Recover your vault" subtitle="Enter the recovery key you saved when the vault was created, and choose a new passphrase.">
        <RecoverForm onCancel={() => setMode('unlock')} />
      </VaultFrame>
    );
  }
  return (
    <VaultFrame
      testId="unlock-screen"
      title="Unlock your vault"
      subtitle={
        <>
          {reason ? (
            <span className="lock-reason" data-testid="lock-reason" data-reason={reason}>
              {REASONS[reason]}{' '}
            </span>
          ) : null}
          {path ? <span className="mono small muted" title={path}>{path}</span> : null}
        </>
      }
    >
      <UnlockForm onForgot={() => setMode('recover')} />
    </VaultFrame>
  );
}
