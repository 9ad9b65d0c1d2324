/**
 * The certificate and key-access fixes through the RepairService, as the agent (and the e2e demo)
 * runs them: real pwsh, the real probes re-run by a CheckRunner, the SimulatedElevator running the
 * real fix scripts against the simulated host (which makes the new certificate when SessionEnv restarts).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PROBES } from '../../../probes/index.js';
import { CheckRunner } from '../../../electron/agent/check-runner.js';
import { harness, probesDir, type Harness } from './repair-harness.js';

const CERT_PROBES = PROBES.filter((probe) => probe.kind === 'powershell' && ['certificate', 'key-access'].includes(probe.id));
const EXPIRED_BOUND = '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12';
const SETTING = 'root/cimv2/terminalservices:Win32_TSGeneralSetting';

interface Started {
  h: Harness;
  runner: CheckRunner;
}

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.dispose()));
});

/** The harness, with re-checks going to a runner of the certificate and key-access probes. */
async function start(scenario: Parameters<typeof harness>[0]): Promise<Started> {
  // The runner needs the harness's session, the harness needs the re-check: filled in right after.
  const late: { runner?: CheckRunner } = {};
  const h = await harness(scenario, {
    service: {
      recheck: (probeIds) => late.runner!.run({ probeIds: [...probeIds] }),
      snapshot: async () => late.runner!.latest() ?? late.runner!.run(),
    },
  });
  open.push(h);
  const runner = new CheckRunner({ session: h.session, probesDir, probes: CERT_PROBES, probeTimeoutMs: () => 30_000 });
  late.runner = runner;
  return { h, runner };
}

function boundThumbprint(h: Harness): string {
  const state = JSON.parse(readFileSync(h.statePath, 'utf8')) as { cim: Record<string, Record<string, { SSLCertificateSHA1Hash: string }>> };
  return state.cim[SETTING]!['RDP-Tcp']!.SSLCertificateSHA1Hash;
}

function status(runner: CheckRunner, probeId: string): string | undefined {
  return runner.latest()?.findings.find((finding) => finding.probeId === probeId)?.status;
}

describe('certificate.renew-self-signed through the RepairService (simulated elevation)', () => {
  it('preview → apply → Windows binds a new certificate and the certificate finding turns ok', async () => {
    const { h, runner } = await start('cert-self-signed-expired');
    const before = h.hostText();
    const snapshot = await runner.run();
    expect(status(runner, 'certificate')).toBe('fail');
    expect(h.service.listFixes(snapshot).map((fix) => fix.id)).toEqual(['certificate.renew-self-signed']);

    const preview = await h.service.preview('certificate.renew-self-signed');
    expect(preview.changes).toHaveLength(3);
    expect(preview.changes[0]).toMatch(/^Delete an old self-signed certificate, which expired on .*0A1B2C3D/);
    expect(preview.changes[2]).toMatch(/Restart the service.*\(Remote Desktop Configuration \(SessionEnv\)\)$/);
    expect(preview.disruptsSessions).toBe(false);
    expect(preview.lowersSecurity).toBe(false);
    expect(preview.nothingToDo).toBe(false);
    expect(preview.notes.join(' ')).toMatch(/trust the new one/);
    expect(h.hostText()).toBe(before);
    expect(h.elevator.requests).toHaveLength(0);

    const outcome = await h.service.apply('certificate.renew-self-signed', preview.previewId);
    expect(outcome.outcome).toBe('fixed');
    expect(outcome.finding?.probeId).toBe('certificate');
    expect(outcome.finding?.status).toBe('ok');
    expect(outcome.recordId).toMatch(/^\d{8}T\d{6}Z-certificate_renew-self-signed-[0-9a-f]{8}$/);
    expect(h.elevator.requests.map((r) => r.parameters)).toEqual([{ Action: 'RenewSelfSigned', Scope: 'ExpiringOrExpired' }]);
    expect(boundThumbprint(h)).not.toBe(EXPIRED_BOUND);
    expect(status(runner, 'key-access')).toBe('ok');

    // Undo cannot bring back a certificate whose key Windows has replaced, and says so.
    const undone = await h.service.undo(outcome.recordId!);
    expect(undone.outcome).toBe('failed');
    expect(undone.message).toMatch(/no longer exists/);
    expect(status(runner, 'certificate')).toBe('ok');
  });

  it('renews a certificate that expires in five days (offered from the warning window)', async () => {
    const { h, runner } = await start('cert-expiring-5-days');
    await runner.run();
    expect(status(runner, 'certificate')).toBe('warn');
    const preview = await h.service.preview('certificate.renew-self-signed');
    expect(preview.changes[0]).toMatch(/^Delete the certificate Remote Desktop uses, which expires on/);
    const outcome = await h.service.apply('certificate.renew-self-signed', preview.previewId);
    expect(outcome.outcome).toBe('fixed');
    expect(outcome.finding?.status).toBe('ok');
  });

  it('a disabled SessionEnv: the preview says why, and nothing is elevated or changed', async () => {
    const { h } = await start({
      extends: 'cert-self-signed-expired',
      patch: { cim: { 'root/cimv2:Win32_Service': { SessionEnv: { State: 'Stopped', StartMode: 'Disabled', ProcessId: 0, Started: false } } } },
    });
    const before = h.hostText();
    await expect(h.service.preview('certificate.renew-self-signed')).rejects.toThrow(/SessionEnv is disabled or missing/);
    expect(h.elevator.requests).toHaveLength(0);
    expect(h.hostText()).toBe(before);
  });
});

describe('key-access.grant-network-service through the RepairService (simulated elevation)', () => {
  it('the preview lists the session the restart ends; applied, the key-access finding turns ok', async () => {
    const { h, runner } = await start('key-missing-network-service');
    await runner.run();
    expect(status(runner, 'key-access')).toBe('fail');
    const preview = await h.service.preview('key-access.grant-network-service');
    expect(preview.disruptsSessions).toBe(true);
    // qwinsta's USERNAME column: the name without its domain.
    expect(preview.sessions).toEqual([{ user: 'alice', id: 2 }]);
    expect(preview.changes[0]).toMatch(/^Allow NETWORK SERVICE \(S-1-5-20\) to read this one file/);
    // It ends sessions: the person confirmed (the service checks that itself).
    const outcome = await h.service.apply('key-access.grant-network-service', preview.previewId, { confirmed: true });
    expect(outcome.outcome).toBe('fixed');
    expect(outcome.finding?.status).toBe('ok');

    const undone = await h.service.undo(outcome.recordId!);
    expect(undone.outcome).toBe('fixed');
    expect(undone.message).toMatch(/^Undone/);
    expect(undone.finding?.status).toBe('fail');
  });
});
