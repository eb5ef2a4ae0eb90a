import { Toaster } from './components/Toaster';
import { hasBridge } from './bridge';
import { Shell } from './features/shell/Shell';
import { FirstRun } from './features/vault/FirstRun';
import { UnlockScreen } from './features/vault/UnlockScreen';
import { useVaultStore } from './stores/vault';

function Screen() {
  const status = useVaultStore((s) => s.status);
  const loadError = useVaultStore((s) => s.loadError);
  const creating = useVaultStore((s) => s.creating);
  const recoveryKey = useVaultStore((s) => s.recoveryKey);
  const refresh = useVaultStore((s) => s.refresh);

  if (!hasBridge()) {
    return (
      <main className="vault-screen" data-testid="fatal">
        <div className="vault-card">
          <h1>Bulwark cannot start</h1>
          <p>The bridge to the Bulwark core is missing. This page only runs inside the Bulwark app (or its test harness), not in a plain browser.</p>
        </div>
      </main>
    );
  }
  if (!status) {
    if (!loadError) return <main className="vault-screen" aria-busy="true" data-testid="loading" />;
    return (
      <main className="vault-screen" data-testid="fatal">
        <div className="vault-card stack">
          <h1>Could not read the vault</h1>
          <p role="alert">{loadError.message}</p>
          <code className="error-code">{loadError.code}</code>
          <button type="button" className="btn btn-primary" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  // The recovery key step outranks the unlocked state: create() unlocks before the key is confirmed.
  if (status.state === 'absent' || creating || recoveryKey) return <FirstRun />;
  if (status.state === 'locked') return <UnlockScreen />;
  return <Shell />;
}

export function App() {
  return (
    <>
      <Screen />
      <Toaster />
    </>
  );
}
