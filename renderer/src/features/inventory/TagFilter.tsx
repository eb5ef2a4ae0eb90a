import { useShallow } from 'zustand/react/shallow';
import { useHostsStore, useTagCounts } from '../../stores/hosts';

/** One chip per tag with how many hosts carry it; pressed chips must all match. */
export function TagFilter() {
  const tags = useTagCounts();
  const { active, toggleTag } = useHostsStore(useShallow((s) => ({ active: s.tagFilter, toggleTag: s.toggleTag })));
  if (tags.length === 0) return null;
  return (
    <div className="tag-filter" role="group" aria-label="Filter by tag (hosts must have every selected tag)" data-testid="tag-filter">
      {tags.map(({ tag, count }) => {
        const on = active.includes(tag);
        return (
          <button key={tag} type="button" className={`chip${on ? ' is-on' : ''}`} aria-pressed={on} onClick={() => toggleTag(tag)} data-testid="tag-chip" data-tag={tag}>
            {tag}
            <span className="chip-count">{count.toLocaleString()}</span>
          </button>
        );
      })}
    </div>
  );
}
