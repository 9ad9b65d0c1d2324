/** What a person reads when a repair fails: nothing changed, everything put back, or some of it left. */
import { describe, expect, it } from 'vitest';
import type { FixRunResult, RestoredStep } from '../../../electron/agent/repair/fix-result.js';
import { failureMessage } from '../../../electron/agent/repair/repair-messages.js';

function failed(error: string, restored: RestoredStep[], undoAvailable = false): FixRunResult {
  return {
    schema: 1, fixId: 'nla.enable', recordId: '20260101T000000Z-nla_enable-0123abcd', ok: false, whatIf: false, outcome: 'failed',
    changes: [], planned: [], restored, notes: [], details: {}, rebootRequired: false, undoAvailable, finishedAt: '2026-01-01T00:00:00Z',
    error: { kind: 'error', message: error },
  };
}

describe('failureMessage', () => {
  it('nothing restored: "Nothing was changed:" and the error, without a word about putting back', () => {
    const message = failureMessage(failed('Access is denied.', []), 'repair');
    expect(message).toBe('Nothing was changed: Access is denied.');
  });

  it('an error that already says nothing was changed is not said twice', () => {
    expect(failureMessage(failed('SessionEnv is disabled: enable it first. Nothing was changed.', []), 'repair')).toBe('The repair stopped: SessionEnv is disabled: enable it first. Nothing was changed.');
  });

  it('a half-way failure says what was put back', () => {
    const message = failureMessage(failed('Simulated failure', [{ target: 'rule A', action: 'Return rule A to Enabled=False', ok: true }]), 'repair');
    expect(message).toBe('The repair stopped: Simulated failure. What it had changed was put back — put back: Return rule A to Enabled=False.');
  });

  it('a rollback that failed says what is left and where it is kept', () => {
    const restored = [{ target: 'rule A', action: 'Return rule A to Enabled=False', ok: false, error: 'Access is denied.' }];
    const message = failureMessage(failed('Simulated failure', restored, true), 'repair');
    expect(message).toContain('Not everything could be put back — NOT put back: Return rule A to Enabled=False (Access is denied.)');
    expect(message).toContain('The undo record 20260101T000000Z-nla_enable-0123abcd keeps what is left.');
  });
});
