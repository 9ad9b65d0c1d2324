import { evidenceText } from '../format.js';

/** What the check read, verbatim, behind a disclosure. */
export function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return null;
  return (
    <details className="evidence">
      <summary>Evidence</summary>
      <dl>
        {entries.map(([label, value]) => {
          const text = evidenceText(value);
          return (
            <div key={label} className="evidence-row">
              <dt>{label}</dt>
              <dd>{text.includes('\n') ? <pre>{text}</pre> : <code>{text}</code>}</dd>
            </div>
          );
        })}
      </dl>
    </details>
  );
}
