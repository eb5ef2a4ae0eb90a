import { useCallback, useMemo, useState } from 'react';
import type { Host } from '../../../../shared/domain/host';
import { FormError } from '../../components/FormError';
import { useShallow } from 'zustand/react/shallow';
import { useHostsStore, useVisibleHosts } from '../../stores/hosts';
import { DeleteHostsDialog } from './DeleteHostsDialog';
import { ExportAnsibleDialog } from './ExportAnsibleDialog';
import { HostFormDialog } from './HostFormDialog';
import { HostTable } from './HostTable';
import { ImportAnsibleDialog } from './ImportAnsibleDialog';
import { ImportSshConfigDialog } from './ImportSshConfigDialog';
import { InventoryToolbar } from './InventoryToolbar';
import { SelectionBar } from './SelectionBar';
import { TagFilter } from './TagFilter';

type DialogState =
  | { kind: 'add' }
  | { kind: 'edit'; host: Host }
  | { kind: 'delete'; ids: readonly string[] }
  | { kind: 'import-ssh' }
  | { kind: 'import-ansible' }
  | { kind: 'export' }
  | null;

export function InventoryView() {
  const { all, visible, pending } = useVisibleHosts();
  const { selection, loadState, loadError, load, clearSelection, clearFilters, filtering } = useHostsStore(
    useShallow((s) => ({
      selection: s.selection,
      loadState: s.loadState,
      loadError: s.loadError,
      load: s.load,
      clearSelection: s.clearSelection,
      clearFilters: s.clearFilters,
      filtering: s.query !== '' || s.tagFilter.length > 0,
    })),
  );
  const [dialog, setDialog] = useState<DialogState>(null);
  const close = useCallback(() => setDialog(null), []);

  const hiddenSelected = useMemo(() => {
    if (selection.size === 0) return 0;
    const shown = new Set(visible.map((h) => h.id));
    let n = 0;
    for (const id of selection) if (!shown.has(id)) n++;
    return n;
  }, [selection, visible]);

  // Stable callbacks: the memoized table must not re-render on every keystroke in the search box.
  const onEdit = useCallback((host: Host) => setDialog({ kind: 'edit', host }), []);
  const onDeleteSelected = useCallback(() => setDialog({ kind: 'delete', ids: [...useHostsStore.getState().selection] }), []);

  const toDelete = useMemo(() => {
    if (dialog?.kind !== 'delete') return [];
    const ids = new Set(dialog.ids);
    return all.filter((h) => ids.has(h.id));
  }, [dialog, all]);
  const hiddenToDelete = useMemo(() => {
    if (dialog?.kind !== 'delete') return 0;
    const shown = new Set(visible.map((h) => h.id));
    return toDelete.filter((h) => !shown.has(h.id)).length;
  }, [dialog, toDelete, visible]);

  let body;
  if (loadState === 'error' && loadError) {
    body = (
      <div className="empty-state">
        <FormError testId="hosts-load-error" message={`Could not load the inventory: ${loadError.message}`} code={loadError.code} />
        <button type="button" className="btn btn-secondary" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  } else if (loadState !== 'ready') {
    body = (
      <div className="empty-state muted" aria-busy="true" data-testid="hosts-loading">
        Loading inventory…
      </div>
    );
  } else if (all.length === 0) {
    body = (
      <div className="empty-state" data-testid="inventory-empty">
        <h2>No hosts yet</h2>
        <p className="muted">Add your first host, or import the ones you already have from an OpenSSH config or an Ansible inventory.</p>
        <div className="row-actions">
          <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'add' })}>
            Add host
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => setDialog({ kind: 'import-ssh' })}>
            Import OpenSSH config
          </button>
        </div>
      </div>
    );
  } else if (visible.length === 0 && !pending) {
    body = (
      <div className="empty-state" data-testid="inventory-no-match">
        <h2>No hosts match</h2>
        <p className="muted">Nothing matches the search and tag filter.</p>
        {filtering ? (
          <button type="button" className="btn btn-secondary" onClick={clearFilters} data-testid="clear-filters">
            Clear search and filters
          </button>
        ) : null}
      </div>
    );
  } else {
    body = <HostTable hosts={visible} selection={selection} pending={pending} onEdit={onEdit} onDeleteSelected={onDeleteSelected} />;
  }

  return (
    <div className="inventory" data-testid="inventory">
      <InventoryToolbar
        total={all.length}
        shown={visible.length}
        onAdd={() => setDialog({ kind: 'add' })}
        onImportSsh={() => setDialog({ kind: 'import-ssh' })}
        onImportAnsible={() => setDialog({ kind: 'import-ansible' })}
        onExport={() => setDialog({ kind: 'export' })}
      />
      <TagFilter />
      <SelectionBar count={selection.size} hiddenCount={hiddenSelected} onDelete={onDeleteSelected} onClear={clearSelection} />
      {body}

      {dialog?.kind === 'add' ? <HostFormDialog onClose={close} /> : null}
      {dialog?.kind === 'edit' ? <HostFormDialog key={dialog.host.id} host={dialog.host} onClose={close} onDelete={(h) => setDialog({ kind: 'delete', ids: [h.id] })} /> : null}
      {dialog?.kind === 'delete' ? <DeleteHostsDialog hosts={toDelete} hiddenCount={hiddenToDelete} onClose={close} /> : null}
      {dialog?.kind === 'import-ssh' ? <ImportSshConfigDialog onClose={close} /> : null}
      {dialog?.kind === 'import-ansible' ? <ImportAnsibleDialog onClose={close} /> : null}
      {dialog?.kind === 'export' ? <ExportAnsibleDialog onClose={close} /> : null}
    </div>
  );
}
