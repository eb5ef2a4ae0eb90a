import { useEffect, useState } from 'react';
import type { Host } from '../../../../shared/domain/host';
import type { RunMode, RunReply } from '../../../../shared/domain/hardening';
import { TabList, TabPanel, type TabItem } from '../../components/TabList';
import { useHostsStore } from '../../stores/hosts';
import { isRunActive, useRunsPickerStore, useRunsStore, type RunRequestInput } from '../../stores/runs';
import { toastError } from '../../stores/ui';
import { HostPicker, useSelectedHosts } from '../keys/HostPicker';
import { ConfirmApplyDialog } from './ConfirmApplyDialog';
import { HistoryPanel } from './HistoryPanel';
import { RunForm } from './RunForm';
import { RunProgress } from './RunProgress';
import { RunResult } from './RunResult';

type Tab = 'new' | 'history';

/** The tab survives leaving the section, like the Keys view's. */
let lastTab: Tab = 'new';

interface PendingApply {
  plan: RunReply;
  request: RunRequestInput;
  hosts: { id: string; name: string }[];
}

function NewRunPanel() {
  const live = useRunsStore((s) => s.live);
  const profiles = useRunsStore((s) => s.profiles);
  const start = useRunsStore((s) => s.start);
  const allHosts = useHostsStore((s) => s.hosts);
  const picked = useSelectedHosts(useRunsPickerStore);
  const [pending, setPending] = useState<PendingApply | null>(null);
  const running = isRunActive(live);
  const profileName = (id: string) => profiles.find((p) => p.id === id)?.name ?? id;

  const hostsOf = (ids: readonly string[]) => {
    const byId = new Map<string, Host>(allHosts.map((h) => [h.id, h]));
    return ids.flatMap((id) => {
      const h = byId.get(id);
      return h ? [{ id: h.id, name: h.name }] : [];
    });
  };

  const launch = async (mode: RunMode, request: RunRequestInput, hosts: { id: string; name: string }[]) => {
    try {
      return await start(mode, request, hosts);
    } catch (e) {
      toastError('Could not start the run', e);
      return null;
    }
  };

  const onRun = async (mode: RunMode, request: RunRequestInput) => {
    const hosts = hostsOf(request.hostIds);
    if (mode !== 'apply') {
      await launch(mode, request, hosts);
      return;
    }
    // Apply always confirms against a plan made just now, of exactly the hosts it will touch.
    const plan = await launch('plan', request, hosts);
    if (plan) setPending({ plan, request, hosts });
  };

  const confirm = () => {
    if (!pending) return;
    setPending(null);
    void launch('apply', pending.request, pending.hosts);
  };

  return (
    <div className="fleet runs-new" data-testid="runs-new">
      <HostPicker disabled={running} store={useRunsPickerStore} />
      <div className="fleet-main">
        <RunForm hosts={picked} disabled={running || pending !== null} onRun={(mode, request) => void onRun(mode, request)} />
        {live ? <RunProgress live={live} profileName={profileName(live.request.profileId)} /> : null}
        {live?.reply ? <RunResult reply={live.reply} profiles={profiles} /> : null}
      </div>
      {pending ? (
        <ConfirmApplyDialog
          plan={pending.plan}
          profileName={profileName(pending.request.profileId)}
          hostCount={pending.hosts.length}
          onConfirm={confirm}
          onClose={() => setPending(null)}
        />
      ) : null}
    </div>
  );
}

/** Audit, plan and apply hardening profiles over hosts; results, compliance and history. */
export function RunsView() {
  const [tab, setTabState] = useState<Tab>(lastTab);
  const running = useRunsStore((s) => isRunActive(s.live));

  const setTab = (t: Tab) => {
    lastTab = t;
    setTabState(t);
  };

  useEffect(() => {
    void useRunsStore.getState().loadProfiles();
    if (useHostsStore.getState().loadState === 'idle') void useHostsStore.getState().load();
  }, []);

  const tabs: TabItem<Tab>[] = [
    { id: 'new', label: 'New run', badge: running ? <span className="badge badge-running">running</span> : null },
    { id: 'history', label: 'History' },
  ];

  return (
    <div className="runs-view keys-view" data-testid="runs-view">
      <div className="toolbar">
        <TabList tabs={tabs} active={tab} onSelect={setTab} label="Runs" idPrefix="runs" />
      </div>
      <TabPanel idPrefix="runs" active={tab} className="keys-panel">
        {tab === 'new' ? <NewRunPanel /> : <HistoryPanel />}
      </TabPanel>
    </div>
  );
}
