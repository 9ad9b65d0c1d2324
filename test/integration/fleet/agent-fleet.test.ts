/**
 * The fleet features through the Agent facade, on the simulated host: the administrator policy
 * shapes the settings in force and refuses changes to them; a user's agent writes its repairs to
 * the Event Log, and leaves the check events to the host checker (host-checker.test.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PolicyLockedError } from '../../../electron/agent/admin-policy.js';
import { Agent } from '../../../electron/agent/agent.js';
import { nlaProbe } from '../../../probes/nla/nla.js';
import { securityLayerProbe } from '../../../probes/security-layer/security-layer.js';

/** The probes the nla fixes re-run (the fix catalog names both). */
const probes = [nlaProbe, securityLayerProbe];

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

interface RecordedEvent {
  EventId: number;
  Message: string;
}

describe('Agent with the fleet features', () => {
  let dir: string;
  let scenario: string;
  let agent: Agent;

  const events = async (a: Agent): Promise<RecordedEvent[]> =>
    ((JSON.parse(await readFile(a.simulatedHostPath as string, 'utf8')) as { eventLog?: RecordedEvent[] }).eventLog ?? []);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdp-health-agent-fleet-'));
    scenario = join(dir, 'nla-off-with-policy.json');
    await writeFile(
      scenario,
      JSON.stringify({
        description: 'NLA off locally, on a host whose administrator set the RDP Health policy',
        extends: 'nla-off-local',
        patch: { registry: { 'HKLM:\\SOFTWARE\\Policies\\RDP Health': { CheckIntervalMinutes: 20, NotificationsDisabled: 1, HideSecurityLoweringFixes: 1 } } },
      }),
    );
    agent = await Agent.create({ dataDir: join(dir, 'data'), simulate: scenario, probes, logger: quiet });
  });
  afterAll(async () => {
    await agent.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('binds the policy from creation, before the first cycle', async () => {
    expect(agent.runner.cycles).toBe(0);
    expect(agent.getLockedSettings()).toEqual(['checkIntervalMinutes', 'notifications']);
    await expect(agent.repairs.preview('nla.disable')).rejects.toThrow(/administrator does not allow/);
  });

  it('checks by itself (no host checker here), says why, and writes no check event: that is the host checker\'s', async () => {
    const snapshot = await agent.checkNow();
    expect(snapshot.findings.map((f) => [f.probeId, f.status])).toEqual([['nla', 'warn'], ['security-layer', 'ok']]);
    expect(await events(agent)).toEqual([]);
    expect(agent.getStatus().hostChecker).toEqual({ used: false, problem: expect.stringMatching(/^The host checker's last result could not be read: the folder .* does not exist/) as unknown });
  });

  it('applies the policy: settings in force, locked keys, hidden fixes', () => {
    expect(agent.getSettings()).toMatchObject({ checkIntervalMinutes: 20, notifications: false });
    expect(agent.getLockedSettings()).toEqual(['checkIntervalMinutes', 'notifications']);
    expect(agent.getSnapshot()?.findings[0]?.fixes.filter((f) => f.lowersSecurity)).toEqual([]);
  });

  it('refuses a change to a locked setting and saves the others', async () => {
    await expect(agent.setSettings({ checkIntervalMinutes: 60 })).rejects.toThrow(PolicyLockedError);
    const saved = await agent.setSettings({ checkIntervalMinutes: 20, warnDays: [21, 7] });
    expect(saved).toMatchObject({ checkIntervalMinutes: 20, warnDays: [21, 7] });
    const file = JSON.parse(await readFile(join(dir, 'data', 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(file.warnDays).toEqual([21, 7]);
    // The enforced value is not written into the user's own settings.
    expect(file.checkIntervalMinutes).not.toBe(20);
  });

  it('writes an applied repair and the change it made to the Event Log', async () => {
    const preview = await agent.repairs.preview('nla.enable');
    const outcome = await agent.repairs.apply('nla.enable', preview.previewId);
    expect(outcome.outcome).toBe('fixed');
    // The repair's own event is written after the outcome is returned (it never delays the window).
    const log = await vi.waitFor(async () => {
      const written = await events(agent);
      if (written.length < 1) throw new Error('not yet');
      return written;
    });
    expect(log.map((e) => e.EventId)).toEqual([1010]);
    expect(log[0]?.Message).toContain('Fix: nla.enable');
    expect(log[0]?.Message).toContain('Require Network Level Authentication');
  });
});
