import { Icon } from '../../components/Icon';

interface Props {
  count: number;
  hiddenCount: number;
  onDelete: () => void;
  onClear: () => void;
}

export function SelectionBar({ count, hiddenCount, onDelete, onClear }: Props) {
  if (count === 0) return null;
  return (
    <div className="selection-bar" role="region" aria-label="Selection" data-testid="selection-bar">
      <span data-testid="selection-count" data-count={count}>
        <strong>{count.toLocaleString()}</strong> selected
        {hiddenCount > 0 ? <span className="muted"> ({hiddenCount.toLocaleString()} not shown)</span> : null}
      </span>
      <button type="button" className="btn btn-danger btn-sm" onClick={onDelete} data-testid="delete-selected">
        <Icon name="trash" /> Delete…
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={onClear} data-testid="clear-selection">
        Clear selection
      </button>
    </div>
  );
}
