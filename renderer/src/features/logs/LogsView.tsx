import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { StoredLogEvent } from '../../../../shared/domain/logs';
import { FormError } from '../../components/FormError';
import { copyText } from '../../lib/clipboard';
import { useHostsStore } from '../../stores/hosts';
import { useLogsPickerStore, useLogsStore } from '../../stores/logs';
import { toastError, toastSuccess, useUiStore } from '../../stores/ui';
import { HostPicker, useSelectedHosts } from '../keys/HostPicker';
import { BanDialog, type BanRequest, type BanTarget } from './BanDialog';
import { BanList } from './BanList';
import { EventList } from './EventList';
import type { RowActions } from './EventRow';
import { FollowControls } from './FollowControls';
import { type ActiveBan, filterEvents } from './log-derive';
import { LogFilters } from './LogFilters';
import { MinuteChart } from './MinuteChart';
import { StreamStatusChips } from './StreamStatusChips';
import { StreamToolbar } from './StreamToolbar';
import { TopAttackers } from './TopAttackers';
import { useThrottledValue } from './use-throttled';
import './logs.css';

interface OpenBan {
  request: BanRequest;
  targets: BanTarget[];
}

/** Shows the host in the inventory: its name as the search, other filters cleared. */
function jumpToHost(name: string): void {
  const hosts = useHostsStore.getState();
  hosts.clearFilters();
  hosts.setQuery(name);
  useUiStore.getState().setSection('inventory');
}

/** Live auth and fail2ban events from the followed hosts, with filters, rankings and ban actions. */
export function LogsView() {
  const allHosts = useHostsStore((s) => s.hosts);
  const picked = useSelectedHosts(useLogsPickerStore);
  const events = useLogsStore((s) => s.events);
  const filter = useLogsStore((s) => s.filter);
  const order = useLogsStore((s) => s.order);
  const statusMap = useLogsStore((s) => s.statuses);
  const followed = useLogsStore((s) => s.followed);
  const historyError = useLogsStore((s) => s.historyError);
  const [ban, setBan] = useState<OpenBan | null>(null);

  useEffect(() => {
    void useLogsStore.getState().open();
    if (useHostsStore.getState().loadState === 'idle') void useHostsStore.getState().load();
  }, []);

  // Filtering and the side panels walk up to 100,000 events: let typing and scrolling win.
  const deferredEvents = useDeferredValue(events);
  const deferredFilter = useDeferredValue(filter);
  const summarized = useThrottledValue(deferredEvents, 1_000);
  const shown = useMemo(() => filterEvents(deferredEvents, deferredFilter), [deferredEvents, deferredFilter]);
  const statuses = useMemo(() => Object.values(statusMap).sort((a, b) => a.host.localeCompare(b.host)), [statusMap]);
  // from the once-a-second summary: walking thousands of events per frame for a dropdown cost more than the rows
  const hostNames = useMemo(() => [...new Set([...statuses.map((s) => s.host), ...summarized.slice(-5_000).map((e) => e.host)])].sort(), [statuses, summarized]);

  const idOfName = useCallback((name: string) => allHosts.find((h) => h.name === name)?.id, [allHosts]);
  const followedTargets = useMemo(() => allHosts.filter((h) => followed.has(h.id)).map((h) => ({ id: h.id, name: h.name })), [allHosts, followed]);

  const openBan = useCallback(
    (ip: string, hostName: string | null) => {
      const targets = followedTargets.length > 0 ? followedTargets : allHosts.map((h) => ({ id: h.id, name: h.name }));
      const id = (hostName && idOfName(hostName)) || targets[0]?.id;
      if (!id) return toastError('Nothing to ban on', new Error('Add or follow a host first.'));
      setBan({ request: { action: 'ban', ip, jail: 'sshd', hostId: id }, targets });
    },
    [allHosts, followedTargets, idOfName],
  );
  const openUnban = useCallback(
    (host: string, jail: string, ip: string) => {
      const id = idOfName(host);
      if (!id) return toastError(`Cannot unban on ${host}`, new Error('The host is no longer in the inventory.'));
      setBan({ request: { action: 'unban', ip, jail, hostId: id }, targets: [{ id, name: host }] });
    },
    [idOfName],
  );

  // stable callbacks: the side panels are memoized and this view renders once per batch
  const banAddress = useCallback((ip: string) => openBan(ip, null), [openBan]);
  const unbanListed = useCallback((b: ActiveBan) => openUnban(b.host, b.jail, b.ip), [openUnban]);

  const actions = useMemo<RowActions>(
    () => ({
      onCopy: (e: StoredLogEvent) =>
        void copyText(e.raw).then(
          () => toastSuccess('Line copied'),
          (err: unknown) => toastError('Could not copy the line', err),
        ),
      onJumpToHost: jumpToHost,
      onBan: (e) => openBan(e.ip ?? '', e.host),
      onUnban: (e) => openUnban(e.host, e.jail ?? 'sshd', e.ip ?? ''),
    }),
    [openBan, openUnban],
  );

  return (
    <div className="fleet logs-view" data-testid="logs-view">
      <HostPicker disabled={false} store={useLogsPickerStore} />
      <div className="logs-main">
        <div className="log-top">
          <FollowControls picked={picked} />
          <StreamStatusChips statuses={statuses} />
        </div>
        {historyError ? <FormError testId="logs-history-error" message={`Could not read the log history: ${historyError.message}`} code={historyError.code} /> : null}
        <LogFilters hostNames={hostNames} />
        <div className="logs-body">
          <div className="logs-stream">
            <StreamToolbar shown={shown.length} onBanNow={() => openBan('', null)} />
            <EventList events={shown} order={order} actions={actions} />
          </div>
          <aside className="logs-side" aria-label="Summary">
            <MinuteChart events={summarized} />
            <TopAttackers events={summarized} onBan={banAddress} />
            <BanList events={summarized} onUnban={unbanListed} />
          </aside>
        </div>
      </div>
      {ban ? <BanDialog initial={ban.request} targets={ban.targets} onClose={() => setBan(null)} /> : null}
    </div>
  );
}
