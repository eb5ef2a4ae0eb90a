import type { ReactNode } from 'react';

export function SettingsCard({ title, description, children, testId }: { title: string; description?: ReactNode; children: ReactNode; testId?: string }) {
  const id = `settings-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <header className="card-header">
        <h2 id={id}>{title}</h2>
        {description ? <p className="muted">{description}</p> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
