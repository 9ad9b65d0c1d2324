import { useCallback, useReducer, useRef } from 'react';
import type { FixDescriptor, FixPreview, RendererBridge } from '../bridge.js';
import { CLOSED, outcomeText, repairReducer, undoText, type RepairStep } from '../repair-flow.js';
import { STATUS_WORD } from '../status.js';
import { Dialog } from './dialog.js';

/** Runs one repair through its steps; `dialog` renders them. */
export function useRepair(bridge: RendererBridge) {
  const [state, dispatch] = useReducer(repairReducer, CLOSED);
  const current = useRef<RepairStep>(state);
  current.current = state;
  const failed = (error: unknown) => dispatch({ type: 'failed', message: error instanceof Error ? error.message : String(error) });

  const open = useCallback(
    (fix: FixDescriptor) => {
      dispatch({ type: 'open', fix });
      bridge.previewFix(fix.id).then((preview) => dispatch({ type: 'previewed', preview }), failed);
    },
    [bridge],
  );
  const confirm = () => {
    const step = current.current;
    if (step.step !== 'confirm') return;
    dispatch({ type: 'confirm' });
    // The person read the preview (and its warnings) and pressed Continue: that is the confirmation.
    bridge.applyFix(step.fix.id, step.preview.previewId, true).then((outcome) => dispatch({ type: 'applied', outcome }), failed);
  };
  const undo = () => {
    const step = current.current;
    if (step.step !== 'result' || !step.outcome.recordId) return;
    dispatch({ type: 'undo' });
    // Pressing Undo next to the warning that it lowers security (when it does) confirms it.
    bridge.undo(step.outcome.recordId, true).then((outcome) => dispatch({ type: 'undone', outcome }), failed);
  };
  const close = () => dispatch({ type: 'close' });
  return { state, open, confirm, undo, close };
}

function Risks({ preview }: { preview: FixPreview }) {
  return (
    <>
      {preview.lowersSecurity ? (
        <div className="warning" role="note" aria-label="Security warning">
          <strong>This lowers security.</strong> After this repair connections to this computer are less protected than before. Continue only if
          people cannot connect otherwise, and undo it once they can.
        </div>
      ) : null}
      {preview.disruptsSessions ? (
        <div className="warning" role="note" aria-label="Sessions warning">
          <strong>This drops active sessions.</strong> Everyone connected is disconnected and may lose unsaved work.
          {preview.sessions && preview.sessions.length > 0 ? (
            <ul className="sessions" aria-label="Sessions that will be dropped">
              {preview.sessions.map((session, i) => (
                <li key={`${session.user}-${i}`}>
                  {session.user}
                  {session.id !== undefined ? `, session ${session.id}` : ''}
                  {session.state ? ` (${session.state})` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p>No one is connected right now.</p>
          )}
        </div>
      ) : null}
    </>
  );
}

function Notes({ notes, rebootRequired }: { notes?: string[] | undefined; rebootRequired?: boolean | undefined }) {
  if (!rebootRequired && (!notes || notes.length === 0)) return null;
  return (
    <ul className="notes" aria-label="Notes">
      {rebootRequired ? <li>Restart the computer to finish.</li> : null}
      {notes?.map((note, i) => <li key={i}>{note}</li>)}
    </ul>
  );
}

function Confirm({ preview, onConfirm, onCancel }: { preview: FixPreview; onConfirm: () => void; onCancel: () => void }) {
  // Group policy decides the setting, or it is already as the fix would make it: nothing to confirm.
  const cannot = preview.blocked ?? (preview.nothingToDo ? 'Everything is already as this repair would make it, so there is nothing to change.' : undefined);
  if (cannot) {
    return (
      <>
        <p className="warning">{cannot}</p>
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onCancel} autoFocus>
            Close
          </button>
        </div>
      </>
    );
  }
  return (
    <>
      <p>This repair will:</p>
      {preview.changes.length > 0 ? (
        <ul className="changes" aria-label="Changes">
          {preview.changes.map((change, i) => (
            <li key={i}>{change}</li>
          ))}
        </ul>
      ) : (
        <p>The preview listed no individual changes.</p>
      )}
      <Risks preview={preview} />
      <Notes notes={preview.notes} rebootRequired={preview.rebootRequired} />
      <p className="hint">Windows will ask for administrator approval.</p>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onConfirm} autoFocus>
          Continue as administrator
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

export function RepairDialog({ repair }: { repair: ReturnType<typeof useRepair> }) {
  const { state } = repair;
  if (state.step === 'closed') return null;
  const busy = state.step === 'applying' || state.step === 'undoing' || state.step === 'previewing';
  return (
    <Dialog labelledBy="repair-title" onDismiss={repair.close} busy={busy}>
      <h2 id="repair-title">Repair: {state.fix.title}</h2>
      {state.step === 'previewing' ? <p role="status">Finding out what this repair would change…</p> : null}

      {state.step === 'confirm' ? <Confirm preview={state.preview} onConfirm={repair.confirm} onCancel={repair.close} /> : null}

      {state.step === 'applying' || state.step === 'undoing' ? (
        <div role="status" className="progress">
          <progress aria-label={state.step === 'applying' ? 'Repairing' : 'Undoing'} />
          <p>{state.step === 'applying' ? 'Waiting for administrator approval, then repairing and checking again…' : 'Undoing the repair and checking again…'}</p>
        </div>
      ) : null}

      {state.step === 'result' ? (
        <div className={`result result-${state.outcome.outcome}`}>
          <div role="status">
            <h3>{outcomeText(state.outcome).heading}</h3>
            <p>{outcomeText(state.outcome).detail}</p>
          </div>
          {/* The agent's message repeats the changes and notes; show it when they are not listed. */}
          {state.outcome.message && !state.outcome.changes?.length && !state.outcome.notes?.length ? <p className="message">{state.outcome.message}</p> : null}
          {state.outcome.finding ? (
            <p>
              Now: <strong>{STATUS_WORD[state.outcome.finding.status]}</strong> — {state.outcome.finding.summary}
            </p>
          ) : null}
          {state.outcome.changes && state.outcome.changes.length > 0 ? (
            <ul className="changes" aria-label="What was changed">
              {state.outcome.changes.map((change, i) => (
                <li key={i}>{change}</li>
              ))}
            </ul>
          ) : null}
          <Notes notes={state.outcome.notes} rebootRequired={state.outcome.rebootRequired} />
          {state.undone ? (
            <div role="status">
              <p>{undoText(state.undone)}</p>
              {state.undone.message ? <p className="message">{state.undone.message}</p> : null}
            </div>
          ) : null}
          {state.outcome.recordId && state.outcome.undoLowersSecurity && !state.undone ? (
            <p className="warning" role="note" aria-label="Undo warning">
              <strong>Undoing this lowers security again.</strong> Undo only if this repair stopped people from connecting.
            </p>
          ) : null}
          <div className="dialog-actions">
            {state.outcome.recordId && !state.undone ? (
              <button type="button" onClick={repair.undo}>
                Undo
              </button>
            ) : null}
            <button type="button" className="primary" onClick={repair.close} autoFocus>
              Close
            </button>
          </div>
        </div>
      ) : null}

      {state.step === 'error' ? (
        <div className="result result-failed">
          <div role="status">
            <h3>The repair could not run</h3>
            <p className="message">{state.message}</p>
          </div>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={repair.close} autoFocus>
              Close
            </button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
