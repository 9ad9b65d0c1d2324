import { describe, expect, it } from 'vitest';
import { CLOSED, outcomeText, repairReducer, type RepairEvent, type RepairStep } from '../../../renderer/repair-flow.js';
import type { FixOutcome, FixPreview } from '../../../renderer/bridge.js';
import { fix } from '../../../probes/common/fixes.js';

const renew = fix('certificate.renew', 'Let Windows create a new certificate', {});
const preview: FixPreview = { fixId: 'certificate.renew', previewId: 'p1', changes: ['Delete the expired certificate'], lowersSecurity: false, disruptsSessions: false };
const fixed: FixOutcome = { fixId: 'certificate.renew', outcome: 'fixed', message: 'Fixed.', recordId: 'r1' };

const run = (events: RepairEvent[], from: RepairStep = CLOSED) => events.reduce(repairReducer, from);

describe('repair flow', () => {
  it('goes preview → confirm → applying → verified result → undo', () => {
    expect(run([{ type: 'open', fix: renew }]).step).toBe('previewing');
    expect(run([{ type: 'open', fix: renew }, { type: 'previewed', preview }])).toEqual({ step: 'confirm', fix: renew, preview });
    const result = run([{ type: 'open', fix: renew }, { type: 'previewed', preview }, { type: 'confirm' }, { type: 'applied', outcome: fixed }]);
    expect(result).toEqual({ step: 'result', fix: renew, outcome: fixed });
    const undone = run([{ type: 'undo' }, { type: 'undone', outcome: { outcome: 'fixed', message: 'Restored.' } }], result);
    expect(undone).toMatchObject({ step: 'result', undone: { message: 'Restored.' } });
    expect(run([{ type: 'undo' }], undone)).toBe(undone);
  });

  it('offers no undo without a record', () => {
    const result = run([{ type: 'open', fix: renew }, { type: 'previewed', preview }, { type: 'confirm' }, { type: 'applied', outcome: { outcome: 'cancelled', message: '' } }]);
    expect(run([{ type: 'undo' }], result)).toBe(result);
  });

  it('cannot be closed while the elevated script runs, and can be otherwise', () => {
    const applying = run([{ type: 'open', fix: renew }, { type: 'previewed', preview }, { type: 'confirm' }]);
    expect(repairReducer(applying, { type: 'close' })).toBe(applying);
    expect(run([{ type: 'open', fix: renew }, { type: 'close' }])).toEqual(CLOSED);
  });

  it('ignores a late preview after the dialog was closed, and a preview for another fix', () => {
    expect(run([{ type: 'open', fix: renew }, { type: 'close' }, { type: 'previewed', preview }])).toEqual(CLOSED);
    expect(run([{ type: 'open', fix: renew }, { type: 'previewed', preview: { ...preview, fixId: 'nla.enable' } }]).step).toBe('previewing');
  });

  it('confirms only what was previewed', () => {
    expect(run([{ type: 'open', fix: renew }, { type: 'confirm' }]).step).toBe('previewing');
  });

  it('says plainly that a cancelled elevation changed nothing', () => {
    expect(outcomeText({ outcome: 'cancelled', message: '' }).detail).toContain('nothing was changed');
    expect(outcomeText({ outcome: 'fixed', message: '' }).heading).toBe('Fixed');
    expect(outcomeText({ outcome: 'still-failing', message: '' }).heading).toBe('Still failing');
  });
});
