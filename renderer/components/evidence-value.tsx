import { evidenceText } from '../format.js';

/** A value holding a thumbprint, a SID or a path: monospace, selected whole on a click so it copies cleanly. */
export const VERBATIM = /\b[0-9A-Fa-f]{40}\b|\bS-1-\d+-\d|[A-Za-z]+:\\|^\\\\|^\/\S/;

function Leaf({ value }: { value: unknown }) {
  const text = evidenceText(value);
  if (typeof value === 'string' && VERBATIM.test(value)) return <code className="copyable">{text}</code>;
  if (text.includes('\n')) return <pre>{text}</pre>;
  return <span className={value === null || value === undefined || value === '' ? 'none' : undefined}>{text}</span>;
}

/**
 * One evidence value as a person reads it: a list as a list, an object as nested label/value rows,
 * a scalar as text; an empty list or object reads "none".
 */
export function EvidenceValue({ value }: { value: unknown }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="none">none</span>;
    return (
      <ul className="evidence-list">
        {value.map((item, index) => (
          <li key={index}>
            <EvidenceValue value={item} />
          </li>
        ))}
      </ul>
    );
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return <span className="none">none</span>;
    return <EvidenceRows entries={entries} />;
  }
  return <Leaf value={value} />;
}

export function EvidenceRows({ entries }: { entries: [string, unknown][] }) {
  return (
    <dl>
      {entries.map(([label, value]) => (
        <div key={label} className="evidence-row">
          <dt>{label}</dt>
          <dd>
            <EvidenceValue value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
