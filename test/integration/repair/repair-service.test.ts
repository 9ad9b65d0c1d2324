import { describe, expect, it } from 'vitest';
import { FIX_CATALOG, FixCatalog } from '../../../electron/agent/repair/fix-catalog.js';
import { RepairRequestError } from '../../../electron/agent/repair/repair-service.js';
import { harnessPerTest, RDP_TCP, TLS12_SERVER } from './repair-harness.js';
import { repairAllPlan } from '../../../probes/common/fixes.js';

const start = harnessPerTest();

describe('RepairService end to end (real pwsh, simulated host, simulated elevation)', () => {
  it('preview → apply → verified fixed, with an undo record; undo brings the old state back', async () => {
    const h = await start('nla-off-local');
    const before = h.hostText();
    const snapshot = await h.runner.run();
    expect(h.service.listFixes(snapshot).map((fix) => fix.id)).toContain('nla.enable');

    const preview = await h.service.preview('nla.enable');
    expect(preview.changes).toHaveLength(1);
    expect(preview.changes[0]).toMatch(/Require Network Level Authentication \(UserAuthentication 0 -> 1\)/);
    expect(preview.lowersSecurity).toBe(false);
    expect(h.hostText()).toBe(before); // -WhatIf changed nothing
    expect(h.elevator.requests).toHaveLength(0); // the preview ran unelevated

    const outcome = await h.service.apply('nla.enable', preview.previewId);
    expect(outcome.outcome).toBe('fixed');
    expect(outcome.finding?.probeId).toBe('nla');
    expect(outcome.finding?.status).toBe('ok');
    expect(outcome.recordId).toMatch(/^\d{8}T\d{6}Z-nla_enable-[0-9a-f]{8}$/);
    expect(h.registry(RDP_TCP, 'UserAuthentication')).toBe(1);
    expect(h.fixFiles()).toEqual([`${outcome.recordId}.result.json`, `${outcome.recordId}.undo.json`]);
    expect(h.runner.latest()?.findings.find((f) => f.probeId === 'nla')?.status).toBe('ok');

    // Turning NLA on raised security: undoing it lowers it again, so it needs the person's confirmation.
    expect(outcome.undoLowersSecurity).toBe(true);
    await expect(h.service.undo(outcome.recordId!)).rejects.toThrow(/lowers security/);
    const undone = await h.service.undo(outcome.recordId!, { confirmed: true });
    expect(undone.outcome).toBe('fixed');
    expect(undone.message).toMatch(/^Undone/);
    expect(undone.finding?.status).toBe('warn');
    expect(h.registry(RDP_TCP, 'UserAuthentication')).toBe(0);
    // Undone once: the record check says so before any elevation is asked for.
    const requests = h.elevator.requests.length;
    await expect(h.service.undo(outcome.recordId!, { confirmed: true })).rejects.toThrow(/undone already/);
    expect(h.elevator.requests).toHaveLength(requests);
  });

  it('declined elevation → cancelled, and nothing was changed', async () => {
    const h = await start('nla-off-local', { decline: true });
    const before = h.hostText();
    const preview = await h.service.preview('nla.enable');
    const outcome = await h.service.apply('nla.enable', preview.previewId);
    expect(outcome).toMatchObject({ fixId: 'nla.enable', outcome: 'cancelled' });
    expect(outcome.message).toMatch(/nothing was changed/);
    expect(outcome.recordId).toBeUndefined();
    expect(h.elevator.requests).toHaveLength(1);
    expect(h.hostText()).toBe(before);
    expect(h.fixFiles()).toEqual([]);
  });

  it('refuses an unknown fix id before anything runs', async () => {
    const h = await start('nla-off-local');
    const before = h.hostText();
    for (const id of ['nla.explode', 'nla', '', '../nla/Repair-RdpNla.ps1', 'toString', '__proto__']) {
      await expect(h.service.preview(id)).rejects.toBeInstanceOf(RepairRequestError);
      await expect(h.service.apply(id, 'x')).rejects.toBeInstanceOf(RepairRequestError);
    }
    expect(h.elevator.requests).toHaveLength(0);
    expect(h.hostText()).toBe(before);
  });

  it('refuses a fix id with extra parameters', async () => {
    const h = await start('healthy');
    const before = h.hostText();
    await expect(h.service.preview('nla.disable -Action Enable')).rejects.toBeInstanceOf(RepairRequestError);
    await expect(h.service.preview('nla.disable', { Action: 'Enable' })).rejects.toThrow(/no other parameters/);
    const preview = await h.service.preview('nla.disable');
    await expect(h.service.apply('nla.disable', preview.previewId, { Action: 'Enable' } as never)).rejects.toThrow(/no other parameters/);
    await expect(h.service.apply('nla.disable', preview.previewId, { confirmed: true }, 'extra')).rejects.toThrow(/no other parameters/);
    await expect(h.service.undo('20250101T120000Z-nla_disable-0000abcd', 'extra' as never)).rejects.toThrow(/no other parameters/);
    expect(h.elevator.requests).toHaveLength(0);
    expect(h.hostText()).toBe(before);
  });

  it('applies only after a preview of the same fix, and each preview once', async () => {
    const h = await start('nla-off-local');
    await expect(h.service.apply('nla.enable', 'never-previewed')).rejects.toThrow(/Preview this fix first/);
    const other = await h.service.preview('nla.disable');
    await expect(h.service.apply('nla.enable', other.previewId)).rejects.toThrow(/Preview this fix first/);
    const preview = await h.service.preview('nla.enable');
    expect((await h.service.apply('nla.enable', preview.previewId)).outcome).toBe('fixed');
    await expect(h.service.apply('nla.enable', preview.previewId)).rejects.toThrow(/Preview this fix first/);
    expect(h.elevator.requests).toHaveLength(1);
  });

  it('reports still-failing when the change is made but the probe still finds the problem', async () => {
    // NLA off with the RDP security layer: turning NLA on works, but NLA over RDP still fails sign-ins.
    const h = await start({
      extends: 'nla-off-local',
      patch: {
        registry: { [RDP_TCP]: { SecurityLayer: 0 } },
        cim: { 'root/cimv2/terminalservices:Win32_TSGeneralSetting': { 'RDP-Tcp': { SecurityLayer: 0 } } },
      },
    });
    const preview = await h.service.preview('nla.enable');
    expect(preview.notes.join(' ')).toMatch(/security layer is RDP/);
    const outcome = await h.service.apply('nla.enable', preview.previewId);
    expect(outcome.outcome).toBe('still-failing');
    expect(outcome.finding?.status).toBe('warn');
    expect(outcome.message).toMatch(/still finds a problem/);
    expect(outcome.recordId).toBeDefined(); // the change was made and can be undone
    expect(h.registry(RDP_TCP, 'UserAuthentication')).toBe(1);
  });

  it('group policy: the preview says so and apply changes nothing without asking for elevation', async () => {
    const h = await start('nla-off-by-policy');
    const before = h.hostText();
    const preview = await h.service.preview('nla.enable');
    expect(preview.blocked).toMatch(/Group policy sets UserAuthentication/);
    expect(preview.changes).toEqual([]);
    const outcome = await h.service.apply('nla.enable', preview.previewId);
    expect(outcome.outcome).toBe('failed');
    expect(outcome.message).toMatch(/Group policy/);
    expect(h.elevator.requests).toHaveLength(0);
    expect(h.hostText()).toBe(before);
  });

  it('a fix whose script is not shipped yet fails loudly as not available, and is not listed', async () => {
    const catalog = new FixCatalog(FIX_CATALOG.entries, new Set(['nla/Repair-RdpNla.ps1']));
    const h = await start('nla-off-local', { service: { catalog } });
    await expect(h.service.preview('nla.enable')).rejects.toThrow(/not available/);
    await expect(h.service.apply('nla.enable', 'x')).rejects.toThrow(/not available/);
    expect(h.service.listFixes(await h.runner.run()).map((fix) => fix.id)).not.toContain('nla.enable');
  });

  it('an admin policy refusal stops the fix before anything runs', async () => {
    const h = await start('nla-off-local', { service: { refuse: (fix) => (fix.id === 'nla.enable' ? 'Your administrator has turned off repairs on this computer.' : undefined) } });
    await expect(h.service.preview('nla.enable')).rejects.toThrow(/administrator/);
    expect(h.service.listFixes(await h.runner.run()).map((fix) => fix.id)).not.toContain('nla.enable');
  });

  it('repair all applies the safe fixes only, and the restart a TLS change needs is said', async () => {
    // Two problems: NLA over the RDP layer (safe fix: Negotiate; unsafe: NLA off) and TLS 1.2 off.
    const h = await start({
      extends: 'tls12-disabled',
      patch: {
        registry: { [RDP_TCP]: { SecurityLayer: 0, UserAuthentication: 1 } },
        cim: { 'root/cimv2/terminalservices:Win32_TSGeneralSetting': { 'RDP-Tcp': { SecurityLayer: 0, PolicySourceSecurityLayer: 0 } } },
      },
    });
    const snapshot = await h.runner.run();
    const offered = h.service.listFixes(snapshot).map((fix) => fix.id);
    expect(offered).toEqual(expect.arrayContaining(['nla.disable', 'security-layer.set-negotiate', 'tls.enable-tls12']));
    // The ids the window sends: its own plan of the same snapshot (the one rule, probes/common/fixes.ts).
    const windowPlan = repairAllPlan(snapshot.findings).map((fix) => fix.id);
    expect(windowPlan.sort()).toEqual(['security-layer.set-negotiate', 'tls.enable-tls12']);
    const outcomes = await h.service.repairAllSafe(windowPlan);
    expect(outcomes.map((o) => o.fixId).sort()).toEqual(['security-layer.set-negotiate', 'tls.enable-tls12']);
    expect(outcomes.every((o) => o.outcome === 'fixed')).toBe(true);
    expect(outcomes.find((o) => o.fixId === 'tls.enable-tls12')?.rebootRequired).toBe(true);
    expect(h.registry(RDP_TCP, 'SecurityLayer')).toBe(1);
    expect(h.registry(RDP_TCP, 'UserAuthentication')).toBe(1); // NLA was not turned off
    expect(h.registry(TLS12_SERVER, 'Enabled')).toBe(1);
    expect(h.elevator.requests.map((r) => r.fixId).sort()).toEqual(['security-layer.set-negotiate', 'tls.enable-tls12']);
  });

  it('repair all runs only the fixes the person confirmed, and never an unsafe one', async () => {
    // Same two problems, but only the TLS repair was confirmed; nla.disable is named too but is not safe.
    const h = await start({
      extends: 'tls12-disabled',
      patch: {
        registry: { [RDP_TCP]: { SecurityLayer: 0, UserAuthentication: 1 } },
        cim: { 'root/cimv2/terminalservices:Win32_TSGeneralSetting': { 'RDP-Tcp': { SecurityLayer: 0, PolicySourceSecurityLayer: 0 } } },
      },
    });
    await h.runner.run();
    await expect(h.service.repairAllSafe([])).rejects.toThrow(/confirmed/);
    await expect(h.service.repairAllSafe(['tls.enable-tls12; rm'])).rejects.toThrow(/confirmed/);
    await expect(h.service.repairAllSafe(['nosuch.fix'])).rejects.toThrow(/not a fix/);
    const outcomes = await h.service.repairAllSafe(['tls.enable-tls12', 'nla.disable']);
    expect(outcomes.map((o) => [o.fixId, o.outcome])).toEqual([
      ['tls.enable-tls12', 'fixed'],
      ['nla.disable', 'skipped'],
    ]);
    expect(h.elevator.requests.map((r) => r.fixId)).toEqual(['tls.enable-tls12']);
    expect(h.registry(RDP_TCP, 'SecurityLayer')).toBe(0); // the unconfirmed security-layer fix did not run
    expect(h.registry(RDP_TCP, 'UserAuthentication')).toBe(1);
    // Confirmed earlier, no longer offered now that TLS 1.2 is on: reported, not run.
    const again = await h.service.repairAllSafe(['tls.enable-tls12']);
    expect(again).toEqual([expect.objectContaining({ fixId: 'tls.enable-tls12', outcome: 'skipped' })]);
    expect(h.elevator.requests).toHaveLength(1);
  });
});
