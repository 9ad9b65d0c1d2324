import type { HealthSnapshot, WindowStatus } from '../bridge.js';
import { worstProblem } from '../../electron/domain/problems-first.js';
import { clockTime, relativeTime } from '../format.js';
import { OVERALL_DETAIL, OVERALL_HEADING } from '../status.js';
import { StatusBadge } from './status-badge.js';

interface Props {
  snapshot: HealthSnapshot | null | undefined;
  /** The snapshot is the last one in history, shown until this start's first check ends. */
  lastKnown?: boolean;
  checking: boolean;
  nextCheckAt: string | undefined;
  /** Whose check this is: the host checker's (as SYSTEM), or this user's own, and why. */
  hostChecker?: WindowStatus['hostChecker'];
  now: Date;
  onCheckNow: () => void;
}

/** The overall state at the top: a heading in words, the worst problem in one line, a badge, when it was checked, and Check now. */
export function StatusHeader({ snapshot, lastKnown = false, checking, nextCheckAt, hostChecker, now, onCheckNow }: Props) {
  const status = snapshot?.overall;
  const worst = snapshot ? worstProblem(snapshot.findings) : undefined;
  return (
    <header className={`overall overall-${status ?? 'pending'}`}>
      <div className="overall-text">
        <h1>{snapshot?.notAnRdpHost ? 'This PC does not accept Remote Desktop connections' : status ? OVERALL_HEADING[status] : snapshot === null ? 'Remote Desktop has not been checked yet' : 'Loading…'}</h1>
        {worst && !snapshot?.notAnRdpHost ? (
          <p className="overall-worst">
            {worst.title}: {worst.summary}
          </p>
        ) : null}
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
              {lastKnown ? <strong className="last-known">Last known state, </strong> : null}
              {lastKnown ? 'checked' : 'Last checked'} <time dateTime={snapshot.startedAt} title={clockTime(snapshot.startedAt)}>{relativeTime(snapshot.startedAt, now)}</time> on {snapshot.host}
              {lastKnown && checking ? ' · a new check is running' : null}
              {nextCheckAt && !checking ? <> · next check {relativeTime(nextCheckAt, now)}</> : null}
            </>
          ) : null}
        </p>
        {hostChecker?.used === true ? <p className="checked-by">Checked by the host checker (as SYSTEM), for every user of this computer.</p> : null}
        {hostChecker?.used === false ? (
          <p className="checked-by checked-by-self" role="note">
            {hostChecker.problem}
          </p>
        ) : null}
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
