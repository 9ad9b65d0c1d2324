/**
 * The listener and firewall fixes through the RepairService as the agent runs them: real pwsh, the
 * real probes re-run, the SimulatedElevator running the real fix scripts on a simulated host.
 */
import { describe, expect, it } from 'vitest';
import { type Harness, harnessPerTest, RDP_TCP } from './repair-harness.js';

const start = harnessPerTest();

interface ServiceEntry {
  State: string;
}
function service(h: Harness, name: string): ServiceEntry | undefined {
  const state = JSON.parse(h.hostText()) as { cim: Record<string, Record<string, ServiceEntry>> };
  return state.cim['root/cimv2:Win32_Service']?.[name];
}

describe('listener and firewall fixes through the RepairService (simulated elevation)', () => {
  it('listener.start-service on termservice-stopped: preview, apply, and the listener finding turns ok', async () => {
    const h = await start('termservice-stopped');
    const before = h.hostText();
    const snapshot = await h.runner.run();
    expect(snapshot.findings.find((f) => f.probeId === 'listener')?.status).toBe('fail');
    expect(h.service.listFixes(snapshot).map((fix) => fix.id)).toContain('listener.start-service');

    const preview = await h.service.preview('listener.start-service');
    expect(preview.changes).toEqual([
      'Start the service (Remote Desktop Services (TermService))',
      'Start the service (Remote Desktop Services UserMode Port Redirector (UmRdpService))',
    ]);
    expect(preview.disruptsSessions).toBe(false);
    expect(preview.sessions).toBeUndefined();
    expect(h.hostText()).toBe(before);
    expect(h.elevator.requests).toHaveLength(0);

    const outcome = await h.service.apply('listener.start-service', preview.previewId);
    expect(outcome.outcome).toBe('fixed');
    expect(outcome.finding?.probeId).toBe('listener');
    expect(outcome.finding?.status).toBe('ok');
    expect(outcome.recordId).toMatch(/^\d{8}T\d{6}Z-listener_start-service-[0-9a-f]{8}$/);
    expect(h.elevator.requests.map((request) => request.parameters)).toEqual([{ Action: 'StartService' }]);
    expect(service(h, 'TermService')?.State).toBe('Running');
    expect(h.runner.latest()?.findings.find((f) => f.probeId === 'listener')?.status).toBe('ok');
    expect(h.fixFiles()).toEqual([`${outcome.recordId}.result.json`, `${outcome.recordId}.undo.json`]);
  });

  it('listener.restart-service: the preview lists the sessions it would end; applied, the moved port listens and the firewall follows', async () => {
    // An admin's own tray, UAC on: the checks and the preview run unelevated, the fix through UAC.
    const h = await start({ extends: 'healthy', patch: { registry: { [RDP_TCP]: { PortNumber: 3390 } } } }, { identity: 'uac-admin' });
    const before = h.hostText();
    const snapshot = await h.runner.run();
    expect(h.service.listFixes(snapshot).map((fix) => fix.id)).toContain('listener.restart-service');

    const preview = await h.service.preview('listener.restart-service');
    expect(preview.disruptsSessions).toBe(true);
    // The preview runs unelevated: qwinsta shows every session's user name (without its domain) to any user.
    expect(preview.sessions).toEqual([{ user: 'alice', id: 2 }]);
    expect(preview.changes).toHaveLength(3);
    expect(preview.changes[2]).toMatch(/^Restart the service \(ends the 1 open Remote Desktop session\)/);
    expect(preview.notes.join(' ')).toMatch(/ends every Remote Desktop session/);
    expect(h.hostText()).toBe(before);

    const outcome = await h.service.apply('listener.restart-service', preview.previewId, { confirmed: true });
    expect(outcome.outcome).toBe('fixed');
    expect(outcome.finding?.status).toBe('ok');
    expect(outcome.changes?.filter((line) => /LocalPort 3389 -> 3390/.test(line))).toHaveLength(2);
    // Re-run after it: the firewall finding sees the new port opened in the same run.
    expect(h.runner.latest()?.findings.find((f) => f.probeId === 'firewall')?.status).toBe('ok');
  });

  it('firewall.enable-rules-public on firewall-public-blocked: marked as lowering security, said so, then fixed', async () => {
    const h = await start('firewall-public-blocked');
    const snapshot = await h.runner.run();
    expect(h.service.listFixes(snapshot).map((fix) => fix.id)).toEqual(['firewall.enable-rules-public']);
    const preview = await h.service.preview('firewall.enable-rules-public');
    expect(preview.lowersSecurity).toBe(true);
    expect(preview.notes.join(' ')).toMatch(/widens exposure/);
    const outcome = await h.service.apply('firewall.enable-rules-public', preview.previewId, { confirmed: true });
    expect(outcome.outcome).toBe('fixed');
    expect(outcome.finding?.probeId).toBe('firewall');
    expect(outcome.finding?.status).toBe('ok');
  });
});
