import { useEffect, useState } from 'react';
import { TabList, TabPanel, type TabItem } from '../../components/TabList';
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

  const setTab = (t: Tab) => {
    lastTab = t;
    setTabState(t);
  };

  useEffect(() => {
    useKeysStore.getState().ensureLoaded();
    if (useHostsStore.getState().loadState === 'idle') void useHostsStore.getState().load();
  }, []);

  const deployKey = (key: SshKey) => {
    useFleetStore.getState().setForm({ op: 'deploy', keyId: key.id });
    setTab('fleet');
  };

  const close = () => setDialog(null);

  const tabs: TabItem<Tab>[] = [
    { id: 'keys', label: 'Vault keys', badge: <span className="chip-count">{keyCount}</span> },
    { id: 'fleet', label: 'Fleet: deploy, audit, rotate, revoke', badge: running ? <span className="badge badge-running">running</span> : null },
  ];

  return (
    <div className="keys-view" data-testid="keys-view">
      <div className="toolbar">
        <TabList tabs={tabs} active={tab} onSelect={setTab} label="SSH keys" idPrefix="keys" />
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

      <TabPanel idPrefix="keys" active={tab} className="keys-panel">
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
      </TabPanel>

      {dialog?.kind === 'generate' ? <GenerateKeyDialog onClose={close} /> : null}
      {dialog?.kind === 'import' ? <ImportKeyDialog onClose={close} /> : null}
      {dialog?.kind === 'rename' ? <RenameKeyDialog sshKey={dialog.key} onClose={close} /> : null}
      {dialog?.kind === 'delete' ? <DeleteKeyDialog sshKey={dialog.key} onClose={close} /> : null}
      {dialog?.kind === 'export' ? <ExportKeyDialog sshKey={dialog.key} onClose={close} /> : null}
    </div>
  );
}
