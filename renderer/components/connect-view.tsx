import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { FixDescriptor, RendererBridge } from '../bridge.js';
import { CONNECT_TARGET_MAX } from '../../electron/domain/connect-target.js';
import { scheduleLabel } from '../settings-form.js';
import { SIDE_WORDS, targetProblem, type CheckState, type ClientHistoryView } from '../connect-model.js';
import { Evidence } from './evidence.js';
import { FixButtons } from './fix-buttons.js';
import { StatusBadge } from './status-badge.js';

interface RepairProps {
  /** Opens the repair dialog for a fix on this PC a verdict offers (absent: no repair buttons). */
  onRepair?: (fix: FixDescriptor) => void;
  /** A repair is in progress: the buttons wait. */
  busy?: boolean;
}

/** One check's outcome: status, the side at fault, the plain summary, the fixes on this PC, what else was found, the evidence. */
function Verdict({ state, onRepair, busy }: { state: CheckState | undefined } & RepairProps) {
  if (!state) return null;
  if (state.step === 'checking') return <p role="status">Checking…</p>;
  if (state.step === 'failed') return <p className="error" role="alert">{state.message}</p>;
  const { report } = state;
  return (
    <div className="verdict" role="status">
      <p className="verdict-head">
        <StatusBadge status={report.status} /> <span className="side">At fault: {SIDE_WORDS[report.side]}</span>
      </p>
      <p className="summary">{report.summary}</p>
      {onRepair ? <FixButtons fixes={report.fixes} busy={busy === true} onRepair={onRepair} /> : null}
      {report.alsoFound.length > 0 ? (
        <ul className="also-found" aria-label="Also found">
          {report.alsoFound.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {report.settingsProblem ? <p className="hint">This PC's settings: {report.settingsProblem}</p> : null}
      <Evidence evidence={report.evidence} />
    </div>
  );
}

const SCHEDULED_REFRESH_MS = 5 * 60_000;
const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * "Connect to a computer": the user's Remote Desktop history, each computer checked only when
 * asked (the check connects to it), and a field for any other host[:port].
 */
export function ConnectView({ bridge, onRepair, busy }: { bridge: RendererBridge } & RepairProps) {
  const [history, setHistory] = useState<ClientHistoryView | undefined>();
  const [historyError, setHistoryError] = useState<string | undefined>();
  const [checks, setChecks] = useState<Record<string, CheckState>>({});
  const [typed, setTyped] = useState('');
  const [typedTarget, setTypedTarget] = useState<string | undefined>();
  const [typedProblem, setTypedProblem] = useState<string | null>(null);

  useEffect(() => {
    bridge.clientHistory().then(setHistory, (error: unknown) => setHistoryError(error instanceof Error ? error.message : String(error)));
  }, [bridge]);
  // With scheduled checks on, their verdicts are read again now and then (the history read is PowerShell work: not often).
  const everyMinutes = history?.scheduled?.everyMinutes ?? null;
  useEffect(() => {
    if (everyMinutes === null) return undefined;
    const timer = setInterval(() => bridge.clientHistory().then(setHistory, () => undefined), SCHEDULED_REFRESH_MS);
    return () => clearInterval(timer);
  }, [bridge, everyMinutes]);

  const check = useCallback(
    (target: string) => {
      setChecks((current) => ({ ...current, [target]: { step: 'checking' } }));
      bridge.connect(target).then(
        (report) => setChecks((current) => ({ ...current, [target]: { step: 'done', report } })),
        (error: unknown) => setChecks((current) => ({ ...current, [target]: { step: 'failed', message: error instanceof Error ? error.message : String(error) } })),
      );
    },
    [bridge],
  );

  // The target whose fix is being repaired: checked again once the repair dialog closes, so its verdict follows the fix.
  const repairing = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (busy || repairing.current === undefined) return;
    const target = repairing.current;
    repairing.current = undefined;
    check(target);
  }, [busy, check]);
  const repairFor = (target: string) =>
    onRepair
      ? (fix: FixDescriptor) => {
          repairing.current = target;
          onRepair(fix);
        }
      : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problem = targetProblem(typed);
    setTypedProblem(problem);
    if (problem) return;
    setTypedTarget(typed.trim());
    check(typed.trim());
  };

  const targets = history?.targets ?? [];
  const scheduledReport = (target: string) => history?.scheduled?.reports.find((report) => report.target === target);
  return (
    <section aria-labelledby="connect-title" className="connect">
      <h2 id="connect-title">Connect to a computer</h2>
      <p className="hint">
        Can this PC connect to that computer, and if not, is the fault on this PC, on the host or in the network between? A check connects to the computer, so it runs only when you ask
        {everyMinutes !== null ? ` and, as set in Settings, ${scheduleLabel(everyMinutes).toLowerCase()} for the computers in your history` : ''}.
      </p>
      <form className="connect-form" onSubmit={onSubmit} noValidate>
        <label htmlFor="connect-target">Computer name or address (optionally :port)</label>
        <input id="connect-target" name="target" value={typed} maxLength={CONNECT_TARGET_MAX} autoComplete="off" spellCheck={false} placeholder="rdphost01.contoso.com:3389" onChange={(event) => setTyped(event.target.value)} aria-invalid={typedProblem !== null} aria-describedby={typedProblem ? 'connect-target-problem' : undefined} />
        <button type="submit" disabled={typedTarget !== undefined && checks[typedTarget]?.step === 'checking'}>
          Check
        </button>
        {typedProblem ? (
          <p id="connect-target-problem" className="error" role="alert">
            {typedProblem}
          </p>
        ) : null}
      </form>
      {typedTarget ? (
        <div className="probe connect-typed" aria-label={`Result for ${typedTarget}`} role="region">
          <h3>{typedTarget}</h3>
          <Verdict state={checks[typedTarget]} onRepair={repairFor(typedTarget)} busy={busy} />
        </div>
      ) : null}
      <h3 id="connect-history-title">Computers you connected to</h3>
      {historyError ? <p className="error">{historyError}</p> : null}
      {history?.problem ? <p className="hint">{history.problem}</p> : null}
      {history && !history.problem && targets.length === 0 ? <p>No Remote Desktop history on this PC.</p> : null}
      {history === undefined && !historyError ? <p>Reading your Remote Desktop history…</p> : null}
      {targets.length > 0 ? (
        <ul className="probes" aria-labelledby="connect-history-title">
          {targets.map((entry) => (
            <li key={entry.target} className="probe" aria-label={entry.target}>
              <div className="probe-head">
                <h4>{entry.target}</h4>
                <button type="button" onClick={() => check(entry.target)} disabled={checks[entry.target]?.step === 'checking'} aria-label={`Check ${entry.target}`}>
                  Check
                </button>
              </div>
              <p className="hint">
                From {entry.sources.join(', ')}
                {entry.usernameHint ? ` · signs in as ${entry.usernameHint}` : ''}
              </p>
              {checks[entry.target] === undefined && scheduledReport(entry.target) ? (
                <>
                  <p className="hint scheduled-at">Checked on schedule at {when(scheduledReport(entry.target)!.checkedAt)}</p>
                  <Verdict state={{ step: 'done', report: scheduledReport(entry.target)! }} onRepair={repairFor(entry.target)} busy={busy} />
                </>
              ) : (
                <Verdict state={checks[entry.target]} onRepair={repairFor(entry.target)} busy={busy} />
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {history?.scheduled && history.scheduled.notChecked.length > 0 ? (
        <p className="hint">Not checked in the last scheduled run (at most ten computers and two minutes a run): {history.scheduled.notChecked.join(', ')}</p>
      ) : null}
      {history && history.unusableFiles.length > 0 ? (
        <ul className="unusable-files" aria-label="Remote Desktop files that could not be used">
          {history.unusableFiles.map((file) => (
            <li key={file.name}>
              <code>{file.name}</code>: {file.problem}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
