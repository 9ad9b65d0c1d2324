/**
 * The steps of one repair, as a pure reducer: preview → confirmation → (UAC) applying → verified
 * result → optionally undo. The dialog renders whatever step this says; a late answer for a step
 * that is no longer current (the person cancelled meanwhile) is ignored.
 */
import type { FixDescriptor, FixOutcome, FixPreview } from './bridge.js';

export type RepairStep =
  | { step: 'closed' }
  | { step: 'previewing'; fix: FixDescriptor }
  | { step: 'confirm'; fix: FixDescriptor; preview: FixPreview }
  | { step: 'applying'; fix: FixDescriptor; preview: FixPreview }
  | { step: 'result'; fix: FixDescriptor; outcome: FixOutcome; undone?: FixOutcome }
  | { step: 'undoing'; fix: FixDescriptor; outcome: FixOutcome }
  | { step: 'error'; fix: FixDescriptor; message: string };

export type RepairEvent =
  | { type: 'open'; fix: FixDescriptor }
  | { type: 'previewed'; preview: FixPreview }
  | { type: 'confirm' }
  | { type: 'applied'; outcome: FixOutcome }
  | { type: 'undo' }
  | { type: 'undone'; outcome: FixOutcome }
  | { type: 'failed'; message: string }
  | { type: 'close' };

export const CLOSED: RepairStep = { step: 'closed' };

export function repairReducer(state: RepairStep, event: RepairEvent): RepairStep {
  switch (event.type) {
    case 'open':
      return state.step === 'closed' ? { step: 'previewing', fix: event.fix } : state;
    case 'previewed':
      return state.step === 'previewing' && event.preview.fixId === state.fix.id ? { step: 'confirm', fix: state.fix, preview: event.preview } : state;
    case 'confirm':
      return state.step === 'confirm' ? { step: 'applying', fix: state.fix, preview: state.preview } : state;
    case 'applied':
      return state.step === 'applying' ? { step: 'result', fix: state.fix, outcome: event.outcome } : state;
    case 'undo':
      return state.step === 'result' && state.outcome.recordId && !state.undone ? { step: 'undoing', fix: state.fix, outcome: state.outcome } : state;
    case 'undone':
      return state.step === 'undoing' ? { step: 'result', fix: state.fix, outcome: state.outcome, undone: event.outcome } : state;
    case 'failed':
      return state.step === 'closed' ? state : { step: 'error', fix: state.fix, message: event.message };
    case 'close':
      // While the elevated script runs, closing would hide a change in progress: not allowed.
      return state.step === 'applying' || state.step === 'undoing' ? state : CLOSED;
  }
}

/** What the result says, in words. `cancelled` must say nothing changed: that is what it means. */
export function outcomeText(outcome: FixOutcome): { heading: string; detail: string } {
  switch (outcome.outcome) {
    case 'fixed':
      return { heading: 'Fixed', detail: 'A new check confirms the problem is gone.' };
    case 'still-failing':
      return { heading: 'Still failing', detail: 'The repair ran, but a new check still finds the problem.' };
    case 'cancelled':
      return { heading: 'Cancelled', detail: 'Administrator approval was not given, so nothing was changed.' };
    case 'skipped':
      return { heading: 'Not run', detail: 'Nothing was changed.' };
    case 'failed':
      return { heading: 'The repair did not complete', detail: 'It stopped with an error; see the message below and the recent log.' };
  }
}

export function undoText(outcome: FixOutcome): string {
  if (outcome.outcome === 'cancelled') return 'Undo was cancelled: administrator approval was not given, so nothing was changed.';
  if (outcome.outcome === 'failed') return `Undo did not complete: ${outcome.message}`;
  return 'Undone: the previous settings are back.';
}
