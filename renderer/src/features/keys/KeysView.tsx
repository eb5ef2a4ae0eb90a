import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useHostsStore } from '../../stores/hosts';
import { useFleetStore } from '../../stores/fleet';
import { useKeysStore, type SshKey } from '../../stores/keys';
import { useJobsStore, isRunning } from '../../stores/jobs';
import { DeleteKeyDialog } from './DeleteKeyDialog';
import { ExportKeyDialog } from './ExportKeyDialog';
import { FleetPanel } from './FleetPanel';
import { GenerateKeyDialog } from './GenerateKeyDialog';
import { ImportKeyDialog } from './ImportKeyDialog';
import { KeyTable } from './KeyTable';
import { RenameKeyDialog } from './RenameKeyDialog';

type Tab = 'keys' | 'fleet';
const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'keys', label: 'Vault keys' },
  { id: 'fleet', label: 'Fleet: deploy, audit, rotate, revoke' },
];

type KeyDialog =
  | { kind: 'generate' }
  | { kind: 'import' }
  | { kind: 'rename'; key: SshKey }
  | { kind: 'delete'; key: SshKey }
  | { kind: 'export'; key: SshKey }
  | null;

/** The tab survives leaving the section, like the inventory's filter does. */
let lastTab: Tab = 'keys';

export function KeysView() {
  const [tab, setTabState] = useState<Tab>(lastTab);
  const [dialog, setDialog] = useState<KeyDialog>(null);
  const keyCount = useKeysStore((s) => s.keys.length);
  const running = useJobsStore((s) => isRunning(s.job));
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ keys: null, fleet: null });

  const setTab = (t: Tab) => {
    lastTab = t;
    setTabState(t);
  };

  useEffect(() => {
    useKeysStore.getState().ensureLoaded();
    if (useHostsStore.getState().loadState === 'idle') void useHostsStore.getState().load();
  }, []);

  // Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab goes into the panel.
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : (i + (e.key === 'ArrowRight' ? 1 : -1) + TABS.length) % TABS.length;
    const id = TABS[next]!.id;
    setTab(id);
    tabRefs.current[id]?.focus();
  };

  const deployKey = (key: SshKey) => {
    useFleetStore.getState().setForm({ op: 'deploy', keyId: key.id });
    setTab('fleet');
  };

  const close = () => setDialog(null);

  return (
    <div className="keys-view" data-testid="keys-view">
      <div className="toolbar">
        <div className="tabs" role="tablist" aria-label="SSH keys" onKeyDown={onTabKey}>
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              type="button"
              role="tab"
              id={`keys-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`keys-panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className={`tab${tab === t.id ? ' is-on' : ''}`}
              onClick={() => setTab(t.id)}
              data-testid={`keys-tab-${t.id}`}
            >
              {t.label}
              {t.id === 'keys' ? <span className="chip-count">{keyCount}</span> : null}
              {t.id === 'fleet' && running ? <span className="badge badge-running">running</span> : null}
            </button>
          ))}
        </div>
        {tab === 'keys' ? (
          <div className="toolbar-actions">
            <button type="button" className="btn btn-secondary" onClick={() => setDialog({ kind: 'import' })} data-testid="import-key-button">
              Import key…
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'generate' })} data-testid="generate-key-button">
              Generate key…
            </button>
          </div>
        ) : null}
      </div>

      <div role="tabpanel" id={`keys-panel-${tab}`} aria-labelledby={`keys-tab-${tab}`} className="keys-panel">
        {tab === 'keys' ? (
          <KeyTable
            onGenerate={() => setDialog({ kind: 'generate' })}
            onImport={() => setDialog({ kind: 'import' })}
            onRename={(key) => setDialog({ kind: 'rename', key })}
            onDelete={(key) => setDialog({ kind: 'delete', key })}
            onExport={(key) => setDialog({ kind: 'export', key })}
            onDeploy={deployKey}
          />
        ) : (
          <FleetPanel />
        )}
      </div>

      {dialog?.kind === 'generate' ? <GenerateKeyDialog onClose={close} /> : null}
      {dialog?.kind === 'import' ? <ImportKeyDialog onClose={close} /> : null}
      {dialog?.kind === 'rename' ? <RenameKeyDialog sshKey={dialog.key} onClose={close} /> : null}
      {dialog?.kind === 'delete' ? <DeleteKeyDialog sshKey={dialog.key} onClose={close} /> : null}
      {dialog?.kind === 'export' ? <ExportKeyDialog sshKey={dialog.key} onClose={close} /> : null}
    </div>
  );
}
