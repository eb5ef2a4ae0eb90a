import { useUiStore } from '../stores/ui';

/** Bottom-right notifications. Errors are role=alert and stay until dismissed. */
export function Toaster() {
  const toasts = useUiStore((s) => s.toasts);
  const dismiss = useUiStore((s) => s.dismissToast);
  return (
    <div className="toaster" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={t.kind} data-code={t.code}>
          <div className="toast-body">
            <p className="toast-title">{t.title}</p>
            {t.detail ? <p className="toast-detail">{t.detail}</p> : null}
            {t.code ? <code className="error-code">{t.code}</code> : null}
          </div>
          <button type="button" className="btn btn-ghost btn-icon" aria-label="Dismiss notification" data-testid="toast-dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
