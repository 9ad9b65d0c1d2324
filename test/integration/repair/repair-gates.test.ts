/**
 * The gates a repair passes before any elevation is asked for (issue 10 item 6): undo goes through
 * the admin policy like a fix, a record must exist (and not be undone already), a preview with
 * nothing to do never elevates, and the service itself checks that a fix is offered and that a fix
 * that lowers security or ends sessions was confirmed. Real pwsh on the simulated host; only the
 * elevation is the seam, and `elevator.requests` says whether it was asked.
 */
import { describe, expect, it } from 'vitest';
import { fixRefusal, policyFromValues } from '../../../electron/agent/admin-policy.js';
import { newRecordId } from '../../../electron/agent/repair/fix-result.js';
import { RepairService } from '../../../electron/agent/repair/repair-service.js';
import { type Harness, harnessPerTest, probesDir, RDP_TCP } from './repair-harness.js';

const start = harnessPerTest();

/** A service on the same host and elevator, under an administrator policy (registry values as under HKLM\SOFTWARE\Policies\RDP Health). */
function underPolicy(h: Harness, values: Record<string, unknown>): RepairService {
  const { policy } = policyFromValues(values);
  return new RepairService({
    session: h.session,
    probesDir,
    elevator: h.elevator,
    recheck: (probeIds) => h.runner.run({ probeIds }),
    snapshot: async () => h.runner.latest() ?? h.runner.run(),
    refuse: (fix) => fixRefusal(fix, policy),
  });
}

/** Applies nla.enable directly through the elevator (a record exists), then forgets that request. */
async function enableNlaRecord(h: Harness): Promise<string> {
  const recordId = newRecordId('nla.enable');
  const run = await h.elevator.run({ kind: 'fix', fixId: 'nla.enable', script: 'nla/Repair-RdpNla.ps1', parameters: { Action: 'Enable' }, recordId });
  expect(run.status).toBe('completed');
  expect(h.registry(RDP_TCP, 'UserAuthentication')).toBe(1);
  h.elevator.requests.length = 0;
  return recordId;
}

describe('repair gates before elevation (real pwsh, simulated host)', () => {
  it('FixesDisabled refuses an undo, with no elevation request and nothing changed', async () => {
    const h = await start('nla-off-local');
    const recordId = await enableNlaRecord(h);
    const service = underPolicy(h, { FixesDisabled: 1 });
    await expect(service.undo(recordId, { confirmed: true })).rejects.toThrow(/turned off repairs/);
    expect(h.elevator.requests).toHaveLength(0);
    expect(h.registry(RDP_TCP, 'UserAuthentication')).toBe(1);
  });

  it('HideSecurityLoweringFixes: undoing a fix that raised security is refused and not offered', async () => {
    const h = await start('nla-off-local');
    const recordId = await enableNlaRecord(h);
    const service = underPolicy(h, { HideSecurityLoweringFixes: 1 });
    await expect(service.undo(recordId, { confirmed: true })).rejects.toThrow(/lower security/);
    expect(h.elevator.requests).toHaveLength(0);
    expect(h.registry(RDP_TCP, 'UserAuthentication')).toBe(1);
    // The fix itself is allowed; its outcome carries no record id to undo with.
    const other = await start('nla-off-local');
    const hidden = underPolicy(other, { HideSecurityLoweringFixes: 1 });
    const applied = await hidden.apply('nla.enable', (await hidden.preview('nla.enable')).previewId, { confirmed: true });
    expect(applied.outcome).toBe('fixed');
    expect(applied.recordId).toBeUndefined();
    expect(applied.undoLowersSecurity).toBeUndefined();
  });

  it('an unknown record id raises no prompt, and is said before any confirmation is asked for', async () => {
    const h = await start('nla-off-local');
    await expect(h.service.undo('20250101T120000Z-nla_enable-0000abcd', { confirmed: true })).rejects.toThrow(/no undo record/);
    // Undoing nla.enable lowers security, so it needs a confirmation; a missing record is said first.
    await expect(h.service.undo('20250101T120000Z-nla_enable-0000abcd')).rejects.toThrow(/no undo record/);
    await expect(h.service.undo('20250101T120000Z-firewall_enable-rules-0000abcd')).rejects.toThrow(/no undo record/);
    expect(h.elevator.requests).toHaveLength(0);
  });

  it('a preview with nothing to do never asks for elevation', async () => {
    const h = await start('healthy');
    const preview = await h.service.preview('nla.enable');
    expect(preview.nothingToDo).toBe(true);
    const outcome = await h.service.apply('nla.enable', preview.previewId, { confirmed: true });
    expect(outcome.outcome).toBe('skipped');
    expect(h.elevator.requests).toHaveLength(0);
  });

  it('a fix that lowers security runs only when confirmed', async () => {
    const h = await start('healthy');
    const before = h.hostText();
    const preview = await h.service.preview('nla.disable');
    await expect(h.service.apply('nla.disable', preview.previewId)).rejects.toThrow(/lowers security.*confirms/);
    await expect(h.service.apply('nla.disable', preview.previewId, { confirmed: false })).rejects.toThrow(/confirms/);
    expect(h.elevator.requests).toHaveLength(0);
    expect(h.hostText()).toBe(before);
  });

  it('offeredOnly (the window): a fix the latest check does not offer is refused', async () => {
    const h = await start('healthy', { service: { offeredOnly: true } });
    await expect(h.service.preview('nla.disable')).rejects.toThrow(/not offered by the latest check/);
    await expect(h.service.apply('nla.disable', 'x', { confirmed: true })).rejects.toThrow(/not offered/);
    expect(h.elevator.requests).toHaveLength(0);
    const broken = await start('nla-off-local', { service: { offeredOnly: true } });
    const preview = await broken.service.preview('nla.enable');
    expect((await broken.service.apply('nla.enable', preview.previewId, { confirmed: true })).outcome).toBe('fixed');
  });
});
