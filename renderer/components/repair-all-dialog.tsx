import { useState } from 'react';
import type { FixDescriptor, FixOutcome, RendererBridge } from '../bridge.js';
import { outcomeText } from '../repair-flow.js';
import { Dialog } from './dialog.js';

type Step = { step: 'confirm' } | { step: 'applying' } | { step: 'done'; outcomes: FixOutcome[] } | { step: 'error'; message: string };

interface Props {
  bridge: RendererBridge;
  /** The safe fixes the current snapshot offers (neither lowers security nor drops sessions). */
  fixes: FixDescriptor[];
  onClose: () => void;
}

/**
 * "Repair all safe problems": one confirmation, then each fix with its own approval prompt (each
 * runs elevated on its own, so it can be declined on its own), then each fix's verified result.
 */
export function RepairAllDialog({ bridge, fixes: offered, onClose }: Props) {
  const [state, setState] = useState<Step>({ step: 'confirm' });
  // What was confirmed stays what is shown: the repairs push new snapshots while they run.
  const [fixes] = useState(offered);
  const title = (outcome: FixOutcome) => fixes.find((fix) => fix.id === outcome.fixId)?.title ?? outcome.fixId ?? 'Repair';
  const run = () => {
    setState({ step: 'applying' });
    bridge.repairAllSafe(fixes.map((fix) => fix.id)).then(
      (outcomes) => setState({ step: 'done', outcomes }),
      (error: unknown) => setState({ step: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  };
  return (
    <Dialog labelledBy="repair-all-title" onDismiss={() => state.step !== 'applying' && onClose()} busy={state.step === 'applying'}>
      <h2 id="repair-all-title">Repair all safe problems</h2>
      {state.step === 'confirm' ? (
        <>
          {fixes.length > 0 ? (
            <>
              <p>These repairs neither lower security nor drop anyone&apos;s session:</p>
              <ul className="changes" aria-label="Repairs">
                {fixes.map((fix) => (
                  <li key={fix.id}>{fix.title}</li>
                ))}
              </ul>
              <p className="hint">{approvalHint(fixes.length)}</p>
            </>
          ) : (
            <p>There is nothing safe to repair right now.</p>
          )}
          <div className="dialog-actions">
            {fixes.length > 0 ? (
              <button type="button" className="primary" onClick={run} autoFocus>
                Continue as administrator
              </button>
            ) : null}
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </>
      ) : null}
      {state.step === 'applying' ? (
        <div role="status" className="progress">
          <progress aria-label="Repairing" />
          <p>Waiting for administrator approval, then repairing and checking again…</p>
        </div>
      ) : null}
      {state.step === 'done' || state.step === 'error' ? (
        <>
          {state.step === 'done' ? (
            <ul className="outcomes" aria-label="Results">
              {state.outcomes.length === 0 ? <li>Nothing was repaired.</li> : null}
              {state.outcomes.map((outcome, i) => (
                <li key={`${outcome.fixId ?? i}`} className={`result-${outcome.outcome}`}>
                  <strong>{title(outcome)}:</strong> {outcomeText(outcome).heading}. {outcomeText(outcome).detail}
                  {outcome.message ? <span className="message"> {outcome.message}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p role="status" className="message">The repairs could not run: {state.message}</p>
          )}
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onClose} autoFocus>
              Close
            </button>
          </div>
        </>
      ) : null}
    </Dialog>
  );
}

/** Says honestly how many approval prompts follow: one per repair. */
export function approvalHint(count: number): string {
  return count === 1 ? 'Windows will ask for administrator approval.' : `Windows will ask for administrator approval ${count} times, once for each repair.`;
}
