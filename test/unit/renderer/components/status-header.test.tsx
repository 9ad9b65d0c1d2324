// The status view at the top of the window, in the App against a fake bridge: the heading in
// words, the worst problem in one line, whose check it is, and Check now going to the agent.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../../renderer/app.js';
import { FakeBridge } from '../fake-bridge.js';
import { securityLayerRdpWithNla } from '../recorded-snapshot.js';

afterEach(cleanup);

describe('the status view', () => {
  it('leads with the worst problem of a failing host, and says the host checker checked it', async () => {
    const snapshot = securityLayerRdpWithNla();
    const bridge = new FakeBridge(snapshot, { getStatus: async () => ({ checking: false, problems: [], hostChecker: { used: true, checkedAt: snapshot.startedAt } }) });
    render(<App bridge={bridge.api} />);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Remote Desktop connections will fail');
    // The security layer fails, NLA only warns: the failing one is named first.
    expect(document.querySelector('.overall-worst')!.textContent).toMatch(/^Security layer: Network Level Authentication is required but the security layer is set to RDP/);
    expect(await screen.findByText('Checked by the host checker (as SYSTEM), for every user of this computer.')).toBeTruthy();
    expect(screen.getByText(/on RDPHOST01/)).toBeTruthy();
  });

  it('before any check says so; Check now asks the agent and shows what it found', async () => {
    const healthy = { overall: 'ok' as const, findings: [], startedAt: new Date().toISOString(), durationMs: 900, host: 'RDPHOST01' };
    const bridge = new FakeBridge(null, { checkNow: async () => healthy });
    render(<App bridge={bridge.api} />);
    expect((await screen.findByRole('heading', { level: 1, name: 'Remote Desktop has not been checked yet' })).textContent).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check now' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Remote Desktop is working' })).toBeTruthy();
    expect(bridge.callsOf('checkNow')).toEqual([[]]);
  });

  it('follows the agent\'s pushes: checking, then the new snapshot', async () => {
    const bridge = new FakeBridge(null);
    render(<App bridge={bridge.api} />);
    await screen.findByRole('heading', { level: 1, name: 'Remote Desktop has not been checked yet' });
    act(() => bridge.push('checking', true));
    expect(document.getElementById('check-progress')!.textContent).toBe('Checking…');
    act(() => bridge.push('snapshot', securityLayerRdpWithNla()));
    expect((await screen.findByRole('heading', { level: 1, name: 'Remote Desktop connections will fail' })).textContent).toBeTruthy();
  });
});
