// A PC that is not an RDP host by design (a Home edition, Remote Desktop off on a client edition):
// its host checks say so instead of failing, and neither the tray nor a notification calls it failing.
import { describe, expect, it } from 'vitest';
import { listenerProbe, type ListenerData } from '../../../probes/listener/listener.js';
import { asNotApplicable, NOT_AN_RDP_HOST, notAnRdpHost } from '../../../electron/agent/rdp-host-role.js';
import { decideNotifications, initialNotifyState } from '../../../electron/agent/notify-policy.js';
import { trayModel } from '../../../electron/shell/tray-model.js';
import { finding, safeFix, snapshot } from '../shell/snapshots.js';
import { recordedData } from '../probes/recorded-fixture.js';

const healthy = (): ListenerData => structuredClone(recordedData<ListenerData>(listenerProbe, 'healthy'));
const client = (edition: Partial<ListenerData['edition']>, deny: Partial<ListenerData['denyConnections']> = {}): ListenerData => {
  const data = healthy();
  data.edition = { editionId: 'Professional', installationType: 'Client', productName: 'Windows 11 Pro', home: false, ...edition };
  data.denyConnections = { ...data.denyConnections, ...deny };
  return data;
};

describe('whether this PC is an RDP host', () => {
  it('is not on a Home edition, whatever fDenyTSConnections says', () => {
    expect(notAnRdpHost(client({ editionId: 'Core', productName: 'Windows 11 Home', home: true }, { effective: 0 }))).toMatch(/Home edition of Windows \(EditionID Core\)/);
  });

  it('is not on a client edition with Remote Desktop turned off (how Windows ships), locally or by policy', () => {
    expect(notAnRdpHost(client({}, { effective: 1, source: 'local' }))).toMatch(/turned off on this Windows client edition \(fDenyTSConnections=1, this PC's setting\)/);
    expect(notAnRdpHost(client({}, { effective: 1, source: 'policy' }))).toMatch(/group policy/);
  });

  it('is a host on a client edition with Remote Desktop on, and on a server even with connections turned off (that is a fault there)', () => {
    expect(notAnRdpHost(client({}, { effective: 0 }))).toBeNull();
    const server = healthy();
    server.denyConnections = { ...server.denyConnections, effective: 1, source: 'local' };
    expect(server.edition.installationType).not.toBe('Client');
    expect(notAnRdpHost(server)).toBeNull();
  });

  it('says nothing when the listener data is missing or malformed', () => {
    expect(notAnRdpHost(undefined)).toBeNull();
    expect(notAnRdpHost({ edition: { home: true } })).toBeNull();
  });
});

describe('host checks on a PC that is not an RDP host', () => {
  const why = 'this is a Home edition of Windows (EditionID Core), which cannot accept Remote Desktop connections';

  it('turns a problem into "does not apply", keeping what it found and its fixes; an OK check stays OK', () => {
    const failing = asNotApplicable(finding('certificate', 'fail', { fixes: [safeFix()] }), why);
    expect(failing.status).toBe('unknown');
    expect(failing.summary).toBe(`${NOT_AN_RDP_HOST} (${why}), so this check does not apply. It found: certificate is fail.`);
    expect(failing.fixes).toHaveLength(1);
    expect(asNotApplicable(finding('nla', 'ok'), why).status).toBe('ok');
    expect(asNotApplicable(finding('listener', 'fail'), why).summary).toBe(`${NOT_AN_RDP_HOST}: ${why}. It can still connect to other computers.`);
  });

  it('shows in the tray as not a host, not as failing or "some checks could not run", and notifies nothing', () => {
    const shown = { ...snapshot([finding('listener', 'unknown'), finding('certificate', 'ok')]), notAnRdpHost: why };
    const tray = trayModel({ snapshot: shown, checking: false, startAtLogin: true });
    expect(tray.icon).not.toBe('fail');
    expect(tray.tooltip).toBe('RDP Health: this PC does not accept Remote Desktop connections (it can connect to others)');
    const decided = decideNotifications({ previous: initialNotifyState(), snapshot: shown, now: new Date('2026-12-02T10:00:00Z'), settings: { warnDays: [30], notifications: true }, certificates: [] });
    expect(decided.notifications).toEqual([]);
    // The same snapshot on a host does notify: the flag is what keeps it quiet.
    const { notAnRdpHost: _dropped, ...onHost } = shown;
    expect(decideNotifications({ previous: initialNotifyState(), snapshot: onHost, now: new Date('2026-12-02T10:00:00Z'), settings: { warnDays: [30], notifications: true }, certificates: [] }).notifications).toHaveLength(1);
  });
});
