/**
 * Fixes on this PC through the repair service, as the window runs them (offered only by a connect
 * verdict): the simulated laptop with its TLS 1.2 client off, a local host that speaks only TLS 1.2;
 * and its "Old server.rdp" (CredSSP off) against a local host that requires NLA, fixed with the
 * user's own rights. Verified by re-reading the client settings and re-running the connect check.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientService } from '../../../electron/agent/client/client-service.js';
import { SimulatedElevator } from '../../../electron/agent/repair/simulated-elevator.js';
import { startFakeRdpServer, type FakeRdpServer } from '../handshake/fake-rdp-server.js';
import { selfSignedCertificate } from '../handshake/openssl-certificates.js';
import { harness, probesDir, type Harness } from '../repair/repair-harness.js';

const TLS12_CLIENT = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client';
let h: Harness;
let users: SimulatedElevator;
let client: ClientService;
let server: FakeRdpServer;
let nlaHost: FakeRdpServer;
const OLD_SERVER = 'C:\\Users\\alice\\Documents\\Old server.rdp';

beforeAll(async () => {
  // HYBRID_REQUIRED_BY_SERVER to every request that lacks CredSSP: a host that requires NLA.
  nlaHost = await startFakeRdpServer({ kind: 'failure', code: 5 });
  // The laptop's "Old server.rdp" (CredSSP off) points at that host, as oldserver:<its port>.
  const oldServer = `full address:s:oldserver:${nlaHost.port}\r\nauthentication level:i:0\r\nenablecredsspsupport:i:0\r\nnegotiate security layer:i:1\r\n`;
  const scenario = { extends: 'client-tls12-disabled', patch: { files: { [OLD_SERVER]: { content: oldServer } } } };
  h = await harness(scenario, {
    service: {
      offeredOnly: true,
      userRunner: { run: (request) => users.run(request), inspectRecord: (recordId) => users.inspectRecord(recordId) },
      client: { offered: () => client.fixes.offered(), verify: (fixId) => client.fixes.verify(fixId), targetHostOf: (fixId) => client.fixes.targetHostOf(fixId) },
    },
  });
  users = new SimulatedElevator({ statePath: h.statePath, probesDir, fixRoot: join(h.dir, 'user-fixes'), asUser: true });
  const lookup = async (host: string) => (host === 'oldserver' ? [{ address: '127.0.0.1', family: 4 as const }] : [{ address: host, family: 4 as const }]);
  client = new ClientService({ session: h.session, probesDir, connect: { tries: 1, lookup } });
  const cert = await selfSignedCertificate(join(h.dir, 'cert'), 'tls12only', 30, 'IP:127.0.0.1');
  server = await startFakeRdpServer({ kind: 'tls', key: await readFile(cert.key, 'utf8'), cert: await readFile(cert.certificate, 'utf8'), maxVersion: 'TLSv1.2' });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await nlaHost?.stop();
  await h?.dispose();
});

describe('a client fix through the repair service', () => {
  it('is offered by the verdict, applied, verified by a connect re-check, and undone', async () => {
    // Not offered before a connect verdict offers it.
    await expect(h.service.preview('client.enable-tls12')).rejects.toThrow(/not offered/);

    const target = `127.0.0.1:${server.port}`;
    const before = await client.check(target);
    expect(before).toMatchObject({ status: 'fail', side: 'this-pc' });
    expect(before.summary).toMatch(/TLS 1\.2 off \(SCHANNEL/);
    expect(before.fixes.map((fix) => fix.id)).toEqual(['client.enable-tls12']);

    const preview = await h.service.preview('client.enable-tls12');
    expect(preview.changes).toHaveLength(2);
    expect(preview.changes[0]).toMatch(/TLS 1\.2 client/);
    expect(preview.lowersSecurity).toBe(false);
    expect(preview.rebootRequired).toBe(true);
    expect(h.registry(TLS12_CLIENT, 'Enabled')).toBe(0);

    const outcome = await h.service.apply('client.enable-tls12', preview.previewId, { confirmed: true });
    expect(outcome.outcome).toBe('fixed');
    expect(outcome.finding).toMatchObject({ probeId: 'client-settings', status: 'ok' });
    expect(outcome.finding?.summary).toContain(`Checked ${target} again`);
    expect(h.registry(TLS12_CLIENT, 'Enabled')).toBe(1);
    expect(h.registry(TLS12_CLIENT, 'DisabledByDefault')).toBe(0);
    expect(h.elevator.requests.map((request) => request.script)).toEqual(['client/Repair-RdpClientTls.ps1']);
    // No host probe ran to verify it.
    expect(h.runner.latest()).toBeUndefined();

    // The connect re-check no longer offers the fix, and no longer fails.
    expect(client.fixes.offered()).toEqual([]);
    expect(outcome.finding?.evidence['Connect check']).not.toMatchObject({ status: 'fail' });

    // Undoing it turns TLS 1.2 off again: it lowers security, so it needs confirmation.
    await expect(h.service.undo(outcome.recordId!)).rejects.toThrow(/lowers security/);
    const undone = await h.service.undo(outcome.recordId!, { confirmed: true });
    expect(undone.outcome).toBe('fixed');
    expect(h.registry(TLS12_CLIENT, 'Enabled')).toBe(0);
    expect(undone.finding?.status).toBe('fail');
    expect(client.fixes.offered()).toEqual(['client.enable-tls12']);
  }, 180_000);

  it("turns CredSSP back on in the .rdp file with the user's rights (no elevation), for that computer only, and undoes it", async () => {
    const fileText = () => (JSON.parse(readFileSync(h.statePath, 'utf8')) as { files: Record<string, { content: string }> }).files[OLD_SERVER]!.content;
    const before = fileText();
    const target = `oldserver:${nlaHost.port}`;
    const report = await client.check(target);
    expect(report).toMatchObject({ status: 'fail', side: 'this-pc' });
    expect(report.summary).toMatch(/requires NLA but Old server\.rdp turns CredSSP off/);
    expect(report.fixes.map((fix) => fix.id)).toEqual(['rdp-file.enable-credssp']);

    const preview = await h.service.preview('rdp-file.enable-credssp');
    expect(preview.changes).toEqual([expect.stringMatching(/enablecredsspsupport from 0 to 1.*Old server\.rdp/)]);
    const elevations = h.elevator.requests.length;
    const outcome = await h.service.apply('rdp-file.enable-credssp', preview.previewId, { confirmed: true });
    expect(outcome.outcome).toBe('fixed');
    expect(outcome.finding?.summary).toContain(`Checked ${target} again`);
    expect(fileText()).toContain('enablecredsspsupport:i:1');
    // Not through the elevator: no UAC prompt for the user's own file.
    expect(h.elevator.requests).toHaveLength(elevations);
    expect(users.requests.map((request) => request.parameters)).toEqual([{ Action: 'EnableCredSsp', TargetHost: 'oldserver' }]);

    const undone = await h.service.undo(outcome.recordId!, { confirmed: true });
    expect(undone.outcome).toBe('fixed');
    expect(fileText()).toBe(before);
    expect(undone.finding?.status).toBe('fail');
  }, 180_000);
});
