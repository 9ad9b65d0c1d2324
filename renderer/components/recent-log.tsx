import type { LogLine } from '../bridge.js';
import { clockTime, shortTime } from '../format.js';

/** The agent's recent log lines, newest first. */
export function RecentLog({ logs }: { logs: LogLine[] }) {
  if (logs.length === 0) return <p>Nothing logged yet.</p>;
  const newestFirst = [...logs].reverse();
  return (
    <ol className="log" aria-label="Recent log entries">
      {newestFirst.map((entry, i) => (
        <li key={`${entry.timestamp}-${i}`} className={`log-${entry.level}`}>
          <time dateTime={entry.timestamp} title={clockTime(entry.timestamp)}>
            {shortTime(entry.timestamp)}
          </time>{' '}
          <span className="log-level">{entry.level}</span> <span className="log-message">{entry.message}</span>
        </li>
      ))}
    </ol>
  );
}
