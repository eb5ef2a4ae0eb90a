interface NotBuiltProps {
  section: string;
  title: string;
  issue: number;
  summary: string;
  planned: string[];
}

/** An honest placeholder: says the section does not exist yet and what it is meant to do. */
export function NotBuilt({ section, title, issue, summary, planned }: NotBuiltProps) {
  return (
    <section className="not-built" data-testid={`not-built-${section}`} aria-labelledby={`nb-${section}`}>
      <div className="not-built-card">
        <p className="eyebrow">Not built yet · issue #{issue}</p>
        <h2 id={`nb-${section}`}>{title}</h2>
        <p>{summary}</p>
        <h3>What it will do</h3>
        <ul>
          {planned.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
        <p className="muted">Nothing on this page works yet, and it shows no data: everything it will manage does not exist in the vault until this is built.</p>
      </div>
    </section>
  );
}
