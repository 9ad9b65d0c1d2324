import { EvidenceRows } from './evidence-value.js';

/** What the check read, behind a disclosure: lists as lists, nested values as nested rows. */
export function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return null;
  return (
    <details className="evidence">
      <summary>Evidence</summary>
      <EvidenceRows entries={entries} />
    </details>
  );
}
