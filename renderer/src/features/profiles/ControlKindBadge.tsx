/** "changes hosts" or "check only": whether applying the control can touch a host. */
export function ControlKindBadge({ kind }: { kind: 'change' | 'check' }) {
  return (
    <span className={`badge badge-kind-${kind}`} data-testid="control-kind" data-kind={kind}>
      {kind === 'change' ? 'changes hosts' : 'check only'}
    </span>
  );
}
