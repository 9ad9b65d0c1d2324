import type { HealthSnapshot } from '../bridge.js';
import { clockTime, relativeTime } from '../format.js';
import { OVERALL_DETAIL, OVERALL_HEADING } from '../status.js';
import { StatusBadge } from './StatusBadge.js';

interface Props {
  snapshot: HealthSnapshot | null | undefined;
  checking: boolean;
  nextCheckAt: string | undefined;
  now: Date;
  onCheckNow: () => void;
}

/** The overall state at the top: a heading in words, a badge, when it was checked, and Check now. */
export function StatusHeader({ snapshot, checking, nextCheckAt, now, onCheckNow }: Props) {
  const status = snapshot?.overall;
  return (
    <header className={`overall overall-${status ?? 'pending'}`}>
      <div className="overall-text">
        <h1>{snapshot?.notAnRdpHost ? 'This PC does not accept Remote Desktop connections' : status ? OVERALL_HEADING[status] : snapshot === null ? 'Remote Desktop has not been checked yet' : 'Loading…'}</h1>
        {snapshot?.notAnRdpHost ? (
          <p className="overall-detail">Because {snapshot.notAnRdpHost}. It can still connect to other computers: check them under Connect to a computer.</p>
        ) : status ? (
          <p className="overall-detail">
            <StatusBadge status={status} /> {OVERALL_DETAIL[status]}
          </p>
        ) : null}
        <p className="checked-at">
          {snapshot ? (
            <>
              Last checked <time dateTime={snapshot.startedAt} title={clockTime(snapshot.startedAt)}>{relativeTime(snapshot.startedAt, now)}</time> on {snapshot.host}
              {nextCheckAt && !checking ? <> · next check {relativeTime(nextCheckAt, now)}</> : null}
            </>
          ) : null}
        </p>
      </div>
      <div className="overall-actions">
        <button type="button" className="primary" onClick={onCheckNow} aria-describedby="check-progress">
          Check now
        </button>
        <p id="check-progress" role="status" className="check-progress">
          {checking ? 'Checking…' : ''}
        </p>
      </div>
    </header>
  );
}
