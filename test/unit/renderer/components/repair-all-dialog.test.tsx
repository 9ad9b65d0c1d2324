// "Repair all safe problems" in the window, against a fake bridge: on the shipped
// security-layer-rdp-with-nla host (recorded envelopes, real probe modules) the dialog lists
// exactly the one fix the agent runs, says how many approval prompts follow, and sends those ids.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../../../electron/contract.js';
import { fix } from '../../../../probes/common/fixes.js';
import { App } from '../../../../renderer/app.js';
import { FakeBridge } from '../fake-bridge.js';
import { securityLayerRdpWithNla } from '../recorded-snapshot.js';

afterEach(cleanup);

async function openRepairAll(snapshot: HealthSnapshot, bridge = new FakeBridge(snapshot)) {
  render(<App bridge={bridge.api} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Repair all safe problems' }));
  return { bridge, dialog: screen.getByRole('dialog', { name: 'Repair all safe problems' }) };
}

describe('the Repair all dialog', () => {
  it('on security-layer-rdp-with-nla lists only the Negotiate layer fix, one approval, and sends exactly it', async () => {
    const snapshot = securityLayerRdpWithNla();
    const bridge = new FakeBridge(snapshot, {
      repairAllSafe: async (fixIds) => fixIds.map((fixId) => ({ fixId, outcome: 'fixed' as const, message: 'The security layer is Negotiate now.' })),
    });
    const { dialog } = await openRepairAll(snapshot, bridge);

    const repairs = within(dialog).getByRole('list', { name: 'Repairs' });
    expect(within(repairs).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['Use the Negotiate security layer (TLS when the client supports it)']);
    // The second way to solve the same problem, and the fix that lowers security, are not offered.
    expect(dialog.textContent).not.toMatch(/Use the TLS security layer|Turn off Network Level Authentication/);
    expect(within(dialog).getByText('Windows will ask for administrator approval.')).toBeTruthy();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue as administrator' }));
    const results = await within(dialog).findByRole('list', { name: 'Results' });
    expect(bridge.callsOf('repairAllSafe')).toEqual([[['security-layer.set-negotiate']]]);
    expect(results.textContent).toMatch(/^Use the Negotiate security layer \(TLS when the client supports it\):/);
    expect(results.textContent).toContain('The security layer is Negotiate now.');
  });

  it('says how many prompts follow when two problems each have a safe fix', async () => {
    const recorded = securityLayerRdpWithNla();
    const certificate = recorded.findings.find((finding) => finding.probeId === 'certificate')!;
    const expired = { ...certificate, status: 'fail' as const, summary: 'The certificate expired.', fixes: [fix('certificate.renew', 'Renew the self-signed certificate', {})] };
    const snapshot = { ...recorded, findings: recorded.findings.map((finding) => (finding.probeId === 'certificate' ? expired : finding)) };
    const { dialog, bridge } = await openRepairAll(snapshot);
    expect(within(within(dialog).getByRole('list', { name: 'Repairs' })).getAllByRole('listitem')).toHaveLength(2);
    expect(within(dialog).getByText('Windows will ask for administrator approval 2 times, once for each repair.')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bridge.callsOf('repairAllSafe')).toEqual([]);
  });

  it('an agent that refuses the repairs is said in the dialog', async () => {
    const snapshot = securityLayerRdpWithNla();
    const bridge = new FakeBridge(snapshot, { repairAllSafe: async () => Promise.reject(new Error('Your administrator has turned off repairs on this computer.')) });
    const { dialog } = await openRepairAll(snapshot, bridge);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue as administrator' }));
    expect((await within(dialog).findByText(/The repairs could not run/)).textContent).toContain('Your administrator has turned off repairs');
  });
});
