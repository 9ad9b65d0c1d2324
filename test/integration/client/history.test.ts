/** The RDP history reader end to end: real pwsh, Get-RdpClientHistory.ps1, the simulated host's HKCU and Documents. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRdpHistory } from '../../../electron/agent/client/history.js';
import { openSimSession, type SimSession } from '../fleet/sim-session.js';

describe('readRdpHistory on the simulated host', () => {
  let sim: SimSession;
  beforeAll(async () => {
    sim = await openSimSession('client-windows11-home');
  }, 60_000);
  afterAll(async () => sim?.close());

  it('lists the MRU computers, the Servers keys and the .rdp files as one target a computer', async () => {
    const result = await readRdpHistory(sim.session, sim.probesDir);
    if (!result.ok) throw new Error(result.problem);
    const { targets, unusableFiles, documents } = result.history;
    expect(documents).toBe('C:\\Users\\alice\\Documents');
    expect(targets.map((target) => target.target)).toEqual(['rdphost01.contoso.com', '10.20.0.15', 'oldserver:3390']);
    const [work, byAddress, old] = targets;
    expect(work?.sources).toEqual(['MRU0', 'Servers key', 'file Work desktop.rdp']);
    expect(work?.usernameHint).toBe('CONTOSO\\alice');
    expect(byAddress?.trustedCertHash).toBe('5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12');
    expect(old?.port).toBe(3390);
    expect(old?.rdpFiles[0]?.parsed?.security).toEqual({ authenticationLevel: 0, enableCredSsp: false, negotiateSecurityLayer: true });
    expect(old?.rdpFiles[0]?.parsed?.gatewayHostname).toBe('rdgw.contoso.com');
    // The malformed file is reported, not dropped and not a crash.
    expect(unusableFiles.map((file) => file.name)).toEqual(['broken.rdp']);
    expect(unusableFiles[0]?.problem).toMatch(/full address/);
  }, 60_000);
});
