import { useMemo } from 'react';
import type { FileDiffView } from '../../../../shared/domain/hardening';
import { diffAction, diffLines, diffStat } from './diff-lines';

const SIGN_LABEL: Record<string, string> = { add: 'added', del: 'removed' };

/** One file's unified diff: a header with the path and counts, then the lines coloured by kind. */
export function DiffView({ file }: { file: FileDiffView }) {
  const lines = useMemo(() => diffLines(file.diff), [file.diff]);
  const stat = diffStat(lines);
  const action = diffAction(lines);
  return (
    <figure className="diff" data-testid="plan-file" data-path={file.path} data-action={action}>
      <figcaption className="diff-header">
        <span className="mono diff-path">{file.path}</span>
        <span className={`diff-action diff-action-${action}`}>{action}</span>
        <span className="diff-stat small" aria-label={`${stat.added} lines added, ${stat.removed} removed`}>
          <span className="diff-stat-add">+{stat.added}</span> <span className="diff-stat-del">−{stat.removed}</span>
        </span>
      </figcaption>
      <pre className="diff-body" aria-label={`Changes to ${file.path}`}>
        {lines
          .filter((l) => l.kind !== 'old-file' && l.kind !== 'new-file')
          .map((l, i) => (
            <span key={i} className={`diff-line diff-${l.kind}`} data-testid="diff-line" data-kind={l.kind} title={SIGN_LABEL[l.kind]}>
              {l.text}
              {'\n'}
            </span>
          ))}
      </pre>
    </figure>
  );
}

export function CommandList({ commands, testId = 'plan-command' }: { commands: readonly string[]; testId?: string }) {
  if (commands.length === 0) return null;
  return (
    <ol className="command-list">
      {commands.map((c, i) => (
        <li key={i} className="mono" data-testid={testId}>
          {c}
        </li>
      ))}
    </ol>
  );
}
