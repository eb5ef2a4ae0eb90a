import { useRef, type KeyboardEvent } from 'react';
import { Icon } from '../../components/Icon';
import { useUiStore } from '../../stores/ui';
import { SECTIONS } from './sections';

/**
 * Left navigation. Every item is a Tab stop; Up/Down/Home/End also move between items, and
 * Enter or Space opens one (focus moves without switching, so arrowing past is cheap).
 */
export function Nav() {
  const section = useUiStore((s) => s.section);
  const setSection = useUiStore((s) => s.setSection);
  const listRef = useRef<HTMLUListElement>(null);

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i === -1) return;
    const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    buttons[(next + buttons.length) % buttons.length]?.focus();
  };

  return (
    <nav className="nav" aria-label="Sections">
      <div className="brand nav-brand">
        <Icon name="shield" className="brand-mark" />
        <span>Bulwark</span>
      </div>
      <ul ref={listRef} onKeyDown={onKeyDown}>
        {SECTIONS.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className="nav-item"
              aria-current={section === s.id ? 'page' : undefined}
              onClick={() => setSection(s.id)}
              data-testid={`nav-${s.id}`}
            >
              <Icon name={s.icon} />
              <span className="nav-label">{s.label}</span>
              {s.planned ? <span className="badge badge-muted">soon</span> : null}
            </button>
          </li>
        ))}
      </ul>
      <dl className="nav-footer muted small" aria-label="Keyboard shortcuts">
        <div>
          <dt>Search hosts</dt>
          <dd>
            <kbd>Ctrl</kbd> <kbd>F</kbd>
          </dd>
        </div>
        <div>
          <dt>Lock vault</dt>
          <dd>
            <kbd>Ctrl</kbd> <kbd>L</kbd>
          </dd>
        </div>
        <div>
          <dt className="muted">(⌘ on macOS)</dt>
        </div>
      </dl>
    </nav>
  );
}
