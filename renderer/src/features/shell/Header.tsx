import { Icon } from '../../components/Icon';
import { toastError, useUiStore } from '../../stores/ui';
import { useVaultStore } from '../../stores/vault';
import { SECTIONS } from './sections';

export function Header() {
  const section = useUiStore((s) => s.section);
  const theme = useUiStore((s) => s.theme);
  const toggleTheme = useUiStore((s) => s.toggleTheme);
  const status = useVaultStore((s) => s.status);
  const lock = useVaultStore((s) => s.lock);
  const title = SECTIONS.find((s) => s.id === section)?.label ?? '';
  const minutes = status?.autoLockMinutes ?? 0;

  return (
    <header className="app-header">
      <h1 className="app-title">{title}</h1>
      <div className="header-actions">
        <span className="vault-state" data-testid="vault-state" data-state={status?.state}>
          <Icon name="unlock" />
          Vault unlocked
          <span className="muted"> · {minutes === 0 ? 'auto-lock off' : `auto-lock ${minutes} min`}</span>
        </span>
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          onClick={toggleTheme}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
          data-testid="theme-toggle"
        >
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => lock().catch((e: unknown) => toastError('Could not lock the vault', e))}
          aria-keyshortcuts="Control+L Meta+L"
          data-testid="lock-button"
        >
          <Icon name="lock" /> Lock
        </button>
      </div>
    </header>
  );
}
