import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { tabAfterKey } from '../lib/tab-keys';

export interface TabItem<T extends string> {
  id: T;
  label: string;
  /** After the label: a count, a "running" badge. */
  badge?: ReactNode;
}

interface Props<T extends string> {
  tabs: readonly TabItem<T>[];
  active: T;
  onSelect: (id: T) => void;
  /** The tablist's accessible name. */
  label: string;
  /** Tab ids and test ids are `${idPrefix}-tab-${id}`, their panels `${idPrefix}-panel-${id}` (see TabPanel). */
  idPrefix: string;
}

/**
 * The WAI-ARIA tabs pattern: only the active tab is in the Tab order (Tab goes on into the
 * panel), and the arrow keys, Home and End move between tabs, selecting as they go.
 */
export function TabList<T extends string>({ tabs, active, onSelect, label, idPrefix }: Props<T>) {
  const refs = useRef(new Map<T, HTMLButtonElement>());

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = tabAfterKey(e.key, tabs.findIndex((t) => t.id === active), tabs.length);
    if (next === null) return;
    e.preventDefault();
    const id = tabs[next]!.id;
    onSelect(id);
    refs.current.get(id)?.focus();
  };

  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          ref={(el) => {
            if (el) refs.current.set(t.id, el);
            else refs.current.delete(t.id);
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${t.id}`}
          aria-selected={active === t.id}
          aria-controls={`${idPrefix}-panel-${t.id}`}
          tabIndex={active === t.id ? 0 : -1}
          className={`tab${active === t.id ? ' is-on' : ''}`}
          onClick={() => onSelect(t.id)}
          data-testid={`${idPrefix}-tab-${t.id}`}
        >
          {t.label}
          {t.badge}
        </button>
      ))}
    </div>
  );
}

/** The panel of the active tab, labelled by it. */
export function TabPanel({ idPrefix, active, className, children }: { idPrefix: string; active: string; className?: string; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`${idPrefix}-panel-${active}`} aria-labelledby={`${idPrefix}-tab-${active}`} className={className}>
      {children}
    </div>
  );
}
