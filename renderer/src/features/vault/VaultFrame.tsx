import type { ReactNode } from 'react';
import { Icon } from '../../components/Icon';

/** The centred card every pre-unlock screen sits in. */
export function VaultFrame({ title, subtitle, children, testId }: { title: string; subtitle?: ReactNode; children: ReactNode; testId: string }) {
  return (
    <main className="vault-screen" data-testid={testId}>
      <div className="vault-card">
        <div className="brand">
          <Icon name="shield" className="brand-mark" />
          <span>Bulwark</span>
        </div>
        <h1>{title}</h1>
        {subtitle ? <p className="vault-subtitle">{subtitle}</p> : null}
        {children}
      </div>
    </main>
  );
}
