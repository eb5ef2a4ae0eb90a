import { memo, type ChangeEvent } from 'react';
import type { Host } from '../../../../shared/domain/host';
import { formatUpdated } from './columns';

interface HostRowProps {
  host: Host;
  index: number;
  start: number;
  selected: boolean;
  onToggle: (id: string, shift: boolean) => void;
  onEdit: (host: Host) => void;
}

/** One virtualized row. Memoized: a selection change re-renders only the rows it touches. */
export const HostRow = memo(function HostRow({ host, index, start, selected, onToggle, onEdit }: HostRowProps) {
  // The change event of a checkbox is a click, keyboard-made or not, and carries the Shift state.
  const onChange = (e: ChangeEvent<HTMLInputElement>) => onToggle(host.id, (e.nativeEvent as MouseEvent).shiftKey === true);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={`host-grid host-row${selected ? ' is-selected' : ''}${index % 2 ? ' is-odd' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      data-index={index}
      data-testid="host-row"
      data-host-name={host.name}
      data-host-id={host.id}
      onDoubleClick={() => onEdit(host)}
    >
      <div role="cell" className="cell cell-check">
        <input type="checkbox" checked={selected} onChange={onChange} aria-label={`Select ${host.name}`} data-nav="check" data-testid="row-checkbox" />
      </div>
      <div role="cell" className="cell cell-name" title={host.name}>
        {host.name}
      </div>
      <div role="cell" className="cell mono" title={host.jumpHost ? `${host.address} via ${host.jumpHost}` : host.address}>
        {host.address}
        {host.jumpHost ? <span className="muted"> via {host.jumpHost}</span> : null}
      </div>
      <div role="cell" className="cell mono num">
        {host.port}
      </div>
      <div role="cell" className="cell" title={host.user}>
        {host.user}
      </div>
      <div role="cell" className="cell cell-tags" title={host.tags.join(', ')}>
        {host.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </div>
      <div role="cell" className="cell mono muted" title={new Date(host.updatedAt).toLocaleString()}>
        {formatUpdated(host.updatedAt)}
      </div>
      <div role="cell" className="cell cell-actions">
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => onEdit(host)} aria-label={`Edit ${host.name}`} data-nav="edit" data-testid="row-edit">
          Edit
        </button>
      </div>
    </div>
  );
});
