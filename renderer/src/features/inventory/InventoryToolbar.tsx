import { useEffect, useRef } from 'react';
import { Icon } from '../../components/Icon';
import { useHostsStore } from '../../stores/hosts';
import { useUiStore } from '../../stores/ui';

let handledFocusRequest = 0;

interface Props {
  total: number;
  shown: number;
  onAdd: () => void;
  onImportSsh: () => void;
  onImportAnsible: () => void;
  onExport: () => void;
}

export function InventoryToolbar({ total, shown, onAdd, onImportSsh, onImportAnsible, onExport }: Props) {
  const query = useHostsStore((s) => s.query);
  const setQuery = useHostsStore((s) => s.setQuery);
  const focusRequest = useUiStore((s) => s.searchFocusRequest);
  const inputRef = useRef<HTMLInputElement>(null);

  // Ctrl/Cmd+F bumps the request counter. Each request is served once, also when it is what
  // mounted the inventory, but never again on a later remount.
  useEffect(() => {
    if (focusRequest > handledFocusRequest) {
      handledFocusRequest = focusRequest;
      inputRef.current?.focus();
      inputRef.current?.select();
    }
  }, [focusRequest]);

  return (
    <div className="toolbar">
      <div className="search">
        <Icon name="search" />
        <input
          ref={inputRef}
          type="search"
          className="input"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search name, address, user, tag, notes…"
          aria-label="Search hosts"
          aria-keyshortcuts="Control+F Meta+F"
          spellCheck={false}
          data-testid="host-search"
        />
        <kbd className="search-kbd" aria-hidden="true">
          Ctrl F
        </kbd>
      </div>
      <p className="host-count" data-testid="host-count" data-total={total} data-shown={shown} aria-live="polite">
        {total.toLocaleString()} {total === 1 ? 'host' : 'hosts'} <span className="muted">({shown.toLocaleString()} shown)</span>
      </p>
      <div className="toolbar-actions">
        <button type="button" className="btn btn-secondary" onClick={onImportSsh} title="Import hosts from an OpenSSH client config" data-testid="import-ssh-button">
          <Icon name="upload" /> Import SSH config
        </button>
        <button type="button" className="btn btn-secondary" onClick={onImportAnsible} title="Import hosts from an Ansible inventory (INI or YAML)" data-testid="import-ansible-button">
          <Icon name="upload" /> Import Ansible
        </button>
        <button type="button" className="btn btn-secondary" onClick={onExport} disabled={total === 0} title="Export the inventory for Ansible" data-testid="export-ansible-button">
          <Icon name="download" /> Export Ansible
        </button>
        <button type="button" className="btn btn-primary" onClick={onAdd} data-testid="add-host">
          <Icon name="plus" /> Add host
        </button>
      </div>
    </div>
  );
}
