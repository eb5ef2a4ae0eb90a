import { useVaultStore } from '../../stores/vault';
import { CreateVaultForm } from './CreateVaultForm';
import { RecoveryKeyStep } from './RecoveryKeyStep';

/** Create the vault, then confirm the recovery key, before the app opens. */
export function FirstRun() {
  const recoveryKey = useVaultStore((s) => s.recoveryKey);
  return recoveryKey ? <RecoveryKeyStep recoveryKey={recoveryKey} /> : <CreateVaultForm />;
}
