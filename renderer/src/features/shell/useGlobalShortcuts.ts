import { useEffect } from 'react';
import { toastError, useUiStore } from '../../stores/ui';
import { useVaultStore } from '../../stores/vault';

/** Ctrl/Cmd+L locks from anywhere; Ctrl/Cmd+F jumps to the inventory search. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const key = e.key.toLowerCase();
      if (key === 'l') {
        e.preventDefault();
        useVaultStore
          .getState()
          .lock()
          .catch((err: unknown) => toastError('Could not lock the vault', err));
      } else if (key === 'f') {
        // Inside a dialog the page behind is inert; leave the browser's own find alone there.
        if (document.querySelector('dialog[open]')) return;
        e.preventDefault();
        const ui = useUiStore.getState();
        ui.setSection('inventory');
        ui.requestSearchFocus();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
