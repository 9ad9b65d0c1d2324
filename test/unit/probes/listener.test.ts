import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isSafeFix } from '../../../probes/common/fixes.js';
import { describeSession, evaluateListener, LISTENER_FIXES, listenerProbe, type ListenerData } from '../../../probes/listener/listener.js';
import { fixIds, recordedData, recordedFinding } from './recorded-fixture.js';

const RECORDED = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/envelopes/listener');
// Client PCs (a Windows 11 Home) that do not accept Remote Desktop by design: their listener check is not OK.
const CLIENT_SCENARIOS = ['client-windows11-home', 'client-tls12-disabled'];
const LISTENER_SCENARIOS = ['termservice-stop-hangs', 'termservice-stopped', 'port-held-by-other-process', 'connections-denied', 'custom-port-3390', 'german-host', 'termservice-shared-svchost', ...CLIENT_SCENARIOS];

function healthy(): ListenerData {
  return structuredClone(recordedData<ListenerData>(listenerProbe, 'healthy'));
}

describe('listener probe on recorded scenarios', () => {
  it('is ok on the healthy host and lists the session a restart would end', () => {
    const finding = recordedFinding(listenerProbe, 'healthy');
    expect(finding.status).toBe('ok');
    expect(finding.summary).toBe('Remote Desktop Services is listening on port 3389.');
    expect(finding.evidence['Sessions a restart would end']).toEqual(['session 2: alice']);
    expect(finding.evidence['Sessions read with']).toMatch(/^qwinsta/);
    expect(finding.evidence['Read with']).toBe('Get-NetTCPConnection');
  });

  it('lists the RDP and RemoteApp sessions a restart ends, not the console (sessions-console-and-remoteapp)', () => {
    const finding = recordedFinding(listenerProbe, 'sessions-console-and-remoteapp');
    expect(finding.status).toBe('ok');
    expect(finding.evidence['Sessions a restart would end']).toEqual(['session 2: alice', 'session 3: bob (RemoteApp)']);
  });

  it('is ok when TermService listens on IPv6 only and only netstat can be read (listener-ipv6-only-netstat)', () => {
    const finding = recordedFinding(listenerProbe, 'listener-ipv6-only-netstat');
    expect(finding.status).toBe('ok');
    expect(finding.evidence['Listening sockets']).toEqual([':::3389 svchost (pid 1180) = TermService']);
  });

  it('is ok on the custom port, which the data exposes as `port`', () => {
    const finding = recordedFinding(listenerProbe, 'custom-port-3390');
    expect(finding.status).toBe('ok');
    expect(finding.summary).toContain('3390');
    expect(recordedData<ListenerData>(listenerProbe, 'custom-port-3390').port).toBe(3390);
  });

  it('fails when TermService is stopped and offers to start it (a safe fix)', () => {
    const finding = recordedFinding(listenerProbe, 'termservice-stopped');
    expect(finding.status).toBe('fail');
    expect(finding.summary).toBe('Remote Desktop Services is stopped, so nothing answers on port 3389.');
    expect(fixIds(finding)).toEqual(['listener.start-service']);
    expect(isSafeFix(finding.fixes[0]!)).toBe(true);
  });

  it('fails naming the other program on the port, with no fix', () => {
    const finding = recordedFinding(listenerProbe, 'port-held-by-other-process');
    expect(finding.status).toBe('fail');
    expect(finding.summary).toBe('Another program, nginx (pid 5120), is using port 3389, so Remote Desktop cannot listen there.');
    expect(finding.fixes).toEqual([]);
  });

  it('fails when connections are denied locally and offers to allow them', () => {
    const finding = recordedFinding(listenerProbe, 'connections-denied');
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(/turned off/);
    expect(fixIds(finding)).toEqual(['listener.allow-connections']);
  });

  it('is ok on the German host, read through netstat', () => {
    const finding = recordedFinding(listenerProbe, 'german-host');
    expect(finding.status).toBe('ok');
    expect(String(finding.evidence['Read with'])).toMatch(/^netstat -ano -p TCP and -p TCPv6 \(Get-NetTCPConnection is not available/);
  });

  it('is ok when TermService shares its svchost with DoSvc on 7680, which is not taken for an RDP port', () => {
    const data = recordedData<ListenerData>(listenerProbe, 'termservice-shared-svchost');
    expect(data.termServiceSharedProcess).toBe(true);
    expect(data.coHostedServices).toEqual(['DoSvc']);
    expect(data.termServicePorts).toEqual([3389]);
    expect(data.ambiguousPorts).toEqual([7680]);
    const finding = recordedFinding(listenerProbe, 'termservice-shared-svchost');
    expect(finding.status).toBe('ok');
    expect(finding.evidence['TermService process shared with']).toEqual(['DoSvc']);
    expect(finding.evidence['Listening sockets']).toContain('0.0.0.0:7680 svchost (pid 1180) (shared process; not attributed to TermService)');
  });

  it('does not claim RDP "still listens on" a co-hosted service port after a port change in a shared svchost', () => {
    const data = structuredClone(recordedData<ListenerData>(listenerProbe, 'termservice-shared-svchost'));
    data.port = 3390;
    data.listening = false;
    data.listeningByTermService = false;
    data.listeners = data.listeners.filter((socket) => socket.localPort === 7680);
    data.termServicePorts = [];
    const verdict = evaluateListener(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe('Remote Desktop Services is running but not listening on port 3390.');
    expect(verdict.summary).not.toMatch(/7680/);
    // Even data that wrongly lists the shared port as TermService's must not fire the old-port logic.
    data.termServicePorts = [7680];
    expect(evaluateListener(data).summary).not.toMatch(/still listens/);
  });

  it.each(CLIENT_SCENARIOS)('says a PC that does not accept Remote Desktop connections does not, on %s', (scenario) => {
    const verdict = evaluateListener(recordedData<ListenerData>(listenerProbe, scenario));
    expect(verdict.status).not.toBe('ok');
    expect(verdict.summary).toMatch(/cannot accept Remote Desktop connections/);
  });

  const others = readdirSync(RECORDED).map((file) => file.replace(/\.json$/, '')).filter((name) => !LISTENER_SCENARIOS.includes(name));
  it.each(others)('is ok on %s, a scenario that leaves the listener alone', (scenario) => {
    expect(recordedFinding(listenerProbe, scenario).status).toBe('ok');
  });
});

describe('evaluateListener edge cases', () => {
  it('fails without a fix when group policy denies connections', () => {
    const data = healthy();
    data.denyConnections = { effective: 1, source: 'policy', localValue: 0, policyValue: 1 };
    const verdict = evaluateListener(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/Group policy/);
    expect(verdict.fixes).toEqual([]);
  });

  it('reports unknown for a Home edition and for an undocumented fDenyTSConnections value', () => {
    const home = healthy();
    home.edition = { editionId: 'Core', installationType: 'Client', productName: 'Windows 10 Home', home: true };
    expect(evaluateListener(home)).toMatchObject({ status: 'unknown', fixes: [] });
    expect(evaluateListener(home).summary).toMatch(/Home edition/);
    const odd = healthy();
    odd.denyConnections.effective = 2;
    expect(evaluateListener(odd).status).toBe('unknown');
  });

  it('says a stopped TermService is disabled, still offering the start fix', () => {
    const data = structuredClone(recordedData<ListenerData>(listenerProbe, 'termservice-stopped'));
    data.termService.startMode = 'Disabled';
    const verdict = evaluateListener(data);
    expect(verdict.summary).toMatch(/stopped and set to Disabled/);
    expect(verdict.fixes).toEqual([LISTENER_FIXES.startService]);
  });

  it('offers a restart (which drops sessions) when TermService still listens on the old port', () => {
    const data = healthy();
    data.port = 3390;
    data.listening = false;
    data.listeningByTermService = false;
    const verdict = evaluateListener(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe('Remote Desktop is set to port 3390 but still listens on port 3389: it needs a restart to use the new port.');
    expect(verdict.fixes).toEqual([LISTENER_FIXES.restartService]);
    expect(verdict.fixes[0]?.disruptsSessions).toBe(true);
    expect(isSafeFix(verdict.fixes[0]!)).toBe(false);
  });

  it('offers a restart when TermService runs but listens nowhere', () => {
    const data = healthy();
    Object.assign(data, { listeners: [], listening: false, listeningByTermService: false, termServicePorts: [] });
    expect(evaluateListener(data)).toMatchObject({ status: 'fail', fixes: [LISTENER_FIXES.restartService] });
  });

  it('warns on a LanAdapter binding, a stopped UmRdpService, or a second program on the port', () => {
    const bound = healthy();
    bound.lanAdapter = 2;
    expect(evaluateListener(bound)).toMatchObject({ status: 'warn', fixes: [] });
    expect(evaluateListener(bound).summary).toMatch(/one network adapter only \(LanAdapter 2\)/);
    const redirector = healthy();
    redirector.umRdpService.state = 'Stopped';
    expect(evaluateListener(redirector)).toMatchObject({ status: 'warn', fixes: [LISTENER_FIXES.startService] });
    const shared = healthy();
    shared.otherOwners = [{ processId: 5120, processName: 'nginx' }];
    expect(evaluateListener(shared).summary).toMatch(/nginx \(pid 5120\), also listens/);
  });

  it('reports unknown when TermService is not installed', () => {
    const data = healthy();
    data.termService = { name: 'TermService', present: false, state: null, startMode: null, processId: null };
    expect(evaluateListener(data).status).toBe('unknown');
  });

  it('describes sessions with and without readable user names', () => {
    expect(describeSession({ sessionId: 2, userName: 'CORP\\alice', desktop: true })).toBe('session 2: CORP\\alice');
    expect(describeSession({ sessionId: 3, userName: null, desktop: true })).toBe('session 3: a signed-in user (name needs elevation)');
    expect(describeSession({ sessionId: 1, userName: null, desktop: false })).toBe('session 1: no one signed in');
  });

  it('rejects data without a port (the handshake probe relies on it)', () => {
    const { port: _port, ...rest } = healthy();
    expect(listenerProbe.dataSchema.safeParse(rest).success).toBe(false);
  });
});
