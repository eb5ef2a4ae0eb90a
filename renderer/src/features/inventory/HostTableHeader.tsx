import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useHostsStore } from '../../stores/hosts';
import { COLUMNS } from './columns';

interface Props {
  total: number;
  selectedVisible: number;
  onSelectAll: (selected: boolean) => void;
}

/** Column headers: a select-all-visible box and sort buttons (aria-sort tells the direction). */
export function HostTableHeader({ total, selectedVisible, onSelectAll }: Props) {
  const { sort, toggleSort } = useHostsStore(useShallow((s) => ({ sort: s.sort, toggleSort: s.toggleSort })));
  const boxRef = useRef<HTMLInputElement>(null);
  const all = total > 0 && selectedVisible === total;
  useEffect(() => {
    if (boxRef.current) boxRef.current.indeterminate = selectedVisible > 0 && !all;
  }, [selectedVisible, all]);

  return (
    <div role="row" aria-rowindex={1} className="host-grid host-header">
      <div role="columnheader" className="cell cell-check">
        <input
          ref={boxRef}
          type="checkbox"
          checked={all}
          disabled={total === 0}
          onChange={() => onSelectAll(!all)}
          aria-label={all ? 'Deselect all shown hosts' : 'Select all shown hosts'}
          data-testid="select-all"
        />
      </div>
      {COLUMNS.map((c) => {
        const active = sort.column === c.id;
        return (
          <div key={c.id} role="columnheader" className={`cell${c.numeric ? ' num' : ''}`} aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
            <button type="button" className={`sort-button${active ? ' is-active' : ''}`} onClick={() => toggleSort(c.id)} data-testid={`sort-${c.id}`}>
              {c.label}
              <span className="sort-arrow" aria-hidden="true">
                {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
              </span>
            </button>
          </div>
        );
      })}
      <div role="columnheader" className="cell cell-actions">
        <span className="visually-hidden">Actions</span>
      </div>
    </div>
  );
}
