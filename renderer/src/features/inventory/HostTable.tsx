import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useMemo, useRef, type KeyboardEvent } from 'react';
import type { Host } from '../../../../shared/domain/host';
import { useHostsStore } from '../../stores/hosts';
import { ROW_HEIGHT } from './columns';
import { HostRow } from './HostRow';
import { HostTableHeader } from './HostTableHeader';

const rowHeight = () => ROW_HEIGHT;

interface Props {
  hosts: readonly Host[];
  selection: ReadonlySet<string>;
  /** The search is still catching up with the latest keystroke. */
  pending: boolean;
  onEdit: (host: Host) => void;
  onDeleteSelected: () => void;
}

/**
 * The host table: only the rows in view (plus overscan) exist in the DOM, so 10,000 hosts cost
 * the same to render as 40. Up/Down/PageUp/PageDown/Home/End move focus between rows, keeping
 * the column (checkbox or Edit); Delete asks to delete the selection.
 */
export const HostTable = memo(function HostTable({ hosts, selection, pending, onEdit, onDeleteSelected }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const toggleSelected = useHostsStore((s) => s.toggleSelected);
  const selectRange = useHostsStore((s) => s.selectRange);
  const setSelected = useHostsStore((s) => s.setSelected);

  // Stable option functions: a new getItemKey on every render makes the virtualizer re-measure
  // all rows, which at 10,000 hosts costs milliseconds on every scroll frame.
  const getItemKey = useCallback((i: number) => hosts[i]?.id ?? i, [hosts]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const virtualizer = useVirtualizer({
    count: hosts.length,
    getScrollElement,
    estimateSize: rowHeight,
    overscan: 12,
    getItemKey,
  });

  const ids = useMemo(() => hosts.map((h) => h.id), [hosts]);
  const selectedVisible = useMemo(() => ids.reduce((n, id) => (selection.has(id) ? n + 1 : n), 0), [ids, selection]);

  const onToggle = useCallback((id: string, shift: boolean) => (shift ? selectRange(id, ids) : toggleSelected(id)), [ids, selectRange, toggleSelected]);
  const onSelectAll = useCallback((on: boolean) => setSelected(ids, on), [ids, setSelected]);

  const focusRow = (index: number, nav: string) => {
    virtualizer.scrollToIndex(index, { align: 'auto' });
    const find = () => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] [data-nav="${nav}"]`);
    // Focus at once when the row is rendered (overscan), so a fast second key press starts from
    // the new row; otherwise wait until the virtualizer has rendered it.
    const now = find();
    if (now) return now.focus();
    let tries = 0;
    const attempt = () => {
      const el = find();
      if (el) el.focus();
      else if (tries++ < 6) requestAnimationFrame(attempt);
    };
    requestAnimationFrame(attempt);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>('[data-index]');
    if (!row) return;
    if (e.key === 'Delete' && selection.size > 0) {
      e.preventDefault();
      onDeleteSelected();
      return;
    }
    const index = Number(row.dataset.index);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const next = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: hosts.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    focusRow(Math.min(hosts.length - 1, Math.max(0, next)), target.dataset.nav ?? 'check');
  };

  return (
    <div className={`host-table${pending ? ' is-pending' : ''}`} role="table" aria-label="Hosts" aria-rowcount={hosts.length + 1} data-testid="host-table">
      <div role="rowgroup">
        <HostTableHeader total={hosts.length} selectedVisible={selectedVisible} onSelectAll={onSelectAll} />
      </div>
      <div className="host-scroll" ref={scrollRef} onKeyDown={onKeyDown}>
        <div role="rowgroup" className="host-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const host = hosts[item.index]!;
            return <HostRow key={item.key} host={host} index={item.index} start={item.start} selected={selection.has(host.id)} onToggle={onToggle} onEdit={onEdit} />;
          })}
        </div>
      </div>
    </div>
  );
});
