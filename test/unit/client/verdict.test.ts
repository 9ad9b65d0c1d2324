/** The verdict rules on plain data (the network and xrdp cases are in test/integration/client). */
import { describe, expect, it } from 'vitest';
import { clientRequirements } from '../../../electron/agent/client/client-requirements.js';
import type { HostHandshake } from '../../../electron/agent/client/host-handshake.js';
import { connectVerdict, type ConnectObservation } from '../../../electron/agent/client/verdict.js';
import type { ClientSettings } from '../../../probes/client/client-settings.js';
import { parseRdpFile } from '../../../probes/client/rdp-file.js';
import { translateDisconnect } from '../../../probes/client/disconnect-codes.js';

const tlsEntry = (version: '1.0' | '1.1' | '1.2' | '1.3', enabled: number | null): ClientSettings['tls'][number] => ({
  version, path: `HKLM:\\...\\TLS ${version}\\Client`, enabled, disabledByDefault: null, osDefault: true, effective: enabled === null ? true : enabled !== 0, source: enabled === null ? 'os-default' : 'registry',
});
const client = (off: string[] = []): ClientSettings => ({
  os: { build: 26100, productName: 'Windows 10 Pro', editionId: 'Professional' },
  tls: (['1.0', '1.1', '1.2', '1.3'] as const).map((version) => tlsEntry(version, off.includes(version) ? 0 : null)),
  credSsp: { path: 'HKLM:\\...', allowEncryptionOracle: null },
  rdpHost: { denyConnections: 1, source: 'local' },
  events: [],
});
const host = (overrides: Partial<HostHandshake> = {}): HostHandshake => ({
  address: '10.0.0.5', port: 3389, reachable: true, connectFailure: null,
  standardRdp: { accepted: false, why: 'SSL_REQUIRED_BY_SERVER' }, tls: { accepted: true }, credSsp: { accepted: true },
  requiresNla: false, tlsVersions: ['1.2', '1.3'], certificate: null, tlsBroke: null, ...overrides,
});
function observation(overrides: Partial<ConnectObservation> = {}, rdp?: string): ConnectObservation {
  const settings = overrides.client === undefined ? client() : overrides.client;
  return {
    target: '10.0.0.5', host: '10.0.0.5', port: 3389,
    resolution: { ok: true, byName: false, addresses: [{ address: '10.0.0.5', family: 4 }] },
    reach: [{ address: { address: '10.0.0.5', family: 4 }, outcome: { ok: true, ms: 3 } }],
    link: null, handshake: host(), client: settings,
    requirements: clientRequirements(settings, rdp ? { name: 'work.rdp', path: 'C:\\work.rdp', parsed: parseRdpFile(`full address:s:10.0.0.5\n${rdp}`) } : null),
    trustedCertHash: null, now: new Date('2026-12-02T12:00:00Z'), ...overrides,
  };
}

describe('connectVerdict', () => {
  it('a port that answers but agrees no security protocol is not Remote Desktop: the host is at fault, never "can connect"', () => {
    const closed = { accepted: false as const, why: 'reply closed: the server closed the connection before replying' };
    const verdict = connectVerdict(observation({ handshake: host({ standardRdp: closed, tls: closed, credSsp: closed, tlsVersions: null }) }));
    expect(verdict.status).toBe('fail');
    expect(verdict.side).toBe('host');
    expect(verdict.summary).toMatch(/does not speak Remote Desktop \(reply closed/);
  });

  it('an old host that speaks only TLS 1.0 to a PC that turned it off: the host is at fault, with the registry value as evidence', () => {
    const verdict = connectVerdict(observation({ client: client(['1.0']), handshake: host({ tlsVersions: ['1.0'] }) }));
    expect(verdict.status).toBe('fail');
    expect(verdict.side).toBe('host');
    expect(verdict.summary).toContain('The host accepts only TLS 1.0, which this PC has turned off (TLS 1.0 off (SCHANNEL\\Protocols\\TLS 1.0\\Client Enabled=0');
    expect(verdict.summary).toContain('KB3080079');
    expect(verdict.fixes).toEqual([]);
  });

  it('a TLS 1.2 host and a PC with TLS 1.2 turned off in the registry: this PC, and what to turn back on', () => {
    const verdict = connectVerdict(observation({ client: client(['1.2', '1.3']), handshake: host({ tlsVersions: ['1.2'] }) }));
    expect([verdict.status, verdict.side]).toEqual(['fail', 'this-pc']);
    expect(verdict.summary).toContain('Fix on this PC: turn TLS 1.2 back on for the client');
    expect(verdict.fixes.map((fix) => fix.id)).toEqual(['client.enable-tls12']);
    // A host that needs TLS 1.3 only: turning 1.2 on would not help, so no button.
    expect(connectVerdict(observation({ client: client(['1.2', '1.3']), handshake: host({ tlsVersions: ['1.3'] }) })).fixes).toEqual([]);
  });

  it('a host that requires NLA and an .rdp file that turns CredSSP off: this PC, and the line to change', () => {
    const verdict = connectVerdict(observation({ handshake: host({ tls: { accepted: false, why: 'HYBRID_REQUIRED_BY_SERVER' }, requiresNla: true }) }, 'enablecredsspsupport:i:0\n'));
    expect([verdict.status, verdict.side]).toEqual(['fail', 'this-pc']);
    expect(verdict.summary).toBe('The host requires NLA but work.rdp turns CredSSP off (enablecredsspsupport:i:0): the host refuses the connection (0x904 / 0x7). Fix on this PC: turn CredSSP back on in the file (enablecredsspsupport:i:1).');
    expect(verdict.fixes).toMatchObject([{ id: 'rdp-file.enable-credssp', needsElevation: false, lowersSecurity: false }]);
    // An IPv6 literal cannot be named to the fix script: the same words, no button.
    const v6 = connectVerdict(observation({ host: 'fd00::5', handshake: host({ tls: { accepted: false, why: 'HYBRID_REQUIRED_BY_SERVER' }, requiresNla: true }) }, 'enablecredsspsupport:i:0\n'));
    expect(v6.fixes).toEqual([]);
  });

  it('a name that does not resolve, and a port where everything refuses, are told apart (network vs host)', () => {
    const unresolved = connectVerdict(observation({ target: 'pc9', host: 'pc9', resolution: { ok: false, byName: true, problem: 'the name pc9 could not be resolved (ENOTFOUND)', code: 'ENOTFOUND' }, reach: [], handshake: null }));
    expect([unresolved.status, unresolved.side]).toEqual(['fail', 'network']);
    const refused = connectVerdict(observation({ reach: [{ address: { address: '10.0.0.5', family: 4 }, outcome: { ok: false, ms: 1, kind: 'refused', code: 'ECONNREFUSED' } }], handshake: null }));
    expect([refused.status, refused.side]).toEqual(['fail', 'host']);
    const dropped = connectVerdict(observation({ reach: [{ address: { address: '10.0.0.5', family: 4 }, outcome: { ok: false, ms: 3000, kind: 'timeout', code: null } }], handshake: null }));
    expect([dropped.status, dropped.side]).toEqual(['fail', 'network']);
  });

  it('unknown client settings are never blamed', () => {
    const verdict = connectVerdict(observation({ client: null, handshake: host({ tlsVersions: ['1.0'] }) }));
    expect(verdict.status).toBe('ok');
  });

  it('a Vulnerable CredSSP setting on this PC is named, as lowering security', () => {
    const settings = { ...client(), credSsp: { path: 'x', allowEncryptionOracle: 2 } };
    const verdict = connectVerdict(observation({ client: settings }));
    expect([verdict.status, verdict.side]).toEqual(['warn', 'this-pc']);
    // No button for Encryption Oracle Remediation: it is said in words (2 is never offered anywhere).
    expect(verdict.fixes).toEqual([]);
  });
});

describe('translateDisconnect', () => {
  it('0x904 / 0x7 in plain words, and says the code alone does not tell the side', () => {
    const t = translateDisconnect(0x904, 0x7);
    expect(t.code).toBe('0x904 / extended 0x7');
    expect(t.words).toContain('socket closed');
    expect(t.words).toContain('the remote computer refused the connection (exDiscReasonServerDeniedConnection)');
    expect(t.words).toContain('does not say which end is at fault');
    expect(t.side).toBe('either');
  });

  it('codes that point at one side, and unknown ones said to be unknown', () => {
    expect(translateDisconnect(0x104).side).toBe('network');
    expect(translateDisconnect(0x1b07).words).toContain('certificate has expired');
    expect(translateDisconnect(0x904, 9).side).toBe('host');
    expect(translateDisconnect(12345).words).toContain('an unlisted disconnect code (12345)');
  });
});

describe('clientDisconnects', () => {
  it('ties each 1026 reason to the 1024 server before it, newest first, and keeps only errors for a host', async () => {
    const { clientDisconnects, failuresFor } = await import('../../../electron/agent/client/client-events.js');
    const settings: ClientSettings = {
      ...client(),
      events: [
        { id: 1026, time: '2026-12-02T10:00:05Z', reason: 2308, server: null, message: 'RDP ClientActiveX has been disconnected (Reason= 2308)' },
        { id: 1024, time: '2026-12-02T10:00:00Z', reason: null, server: 'PC1.contoso.com', message: '' },
        { id: 1024, time: '2026-12-02T11:00:00Z', reason: null, server: 'pc2', message: '' },
        { id: 1026, time: '2026-12-02T11:30:00Z', reason: 1, server: null, message: '' },
      ],
    };
    expect(clientDisconnects(settings).map((entry) => [entry.server, entry.translation.code])).toEqual([['pc2', '0x1'], ['PC1.contoso.com', '0x904']]);
    expect(failuresFor(settings, 'pc1.contoso.com').map((entry) => entry.reason)).toEqual([2308]);
    expect(failuresFor(settings, 'pc2')).toEqual([]);
  });
});
