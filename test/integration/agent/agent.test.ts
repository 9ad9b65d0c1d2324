import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../../probes/common/finding.js';
import type { NodeProbe } from '../../../probes/common/probe.js';
import { findProbe } from '../../../probes/index.js';
import { Agent, type AgentNotification } from '../../../electron/agent/agent.js';
import { FakeClock, settle } from '../../unit/agent/fake-clock.js';
import { probesDir, tempDir } from './helpers.js';

const DAY = 86_400_000;
const nla = findProbe('nla')!;
const certificate = findProbe('certificate')!;
const agents: Agent[] = [];

async function create(options: Parameters<typeof Agent.create>[0]): Promise<Agent> {
  const agent = await Agent.create({ probesDir, ...options });
  agents.push(agent);
  return agent;
}
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop()));
});

function record(agent: Agent) {
  const snapshots: HealthSnapshot[] = [];
  const notifications: AgentNotification[] = [];
  const checking: boolean[] = [];
  agent.on('snapshot', (s) => snapshots.push(s));
  agent.on('notification', (n) => notifications.push(n));
  agent.on('checking', (c) => checking.push(c));
  return { snapshots, notifications, checking };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('Agent on the simulated host (real pwsh)', () => {
  it('start + concurrent check-now + resume give one cycle; the snapshot is kept in history, logged and announced', async () => {
    const dataDir = tempDir();
    const agent = await create({ dataDir, simulate: 'healthy', logDir: join(dataDir, 'my-logs') });
    const seen = record(agent);
    agent.start();
    const results = await Promise.all([agent.checkNow(), agent.checkNow()]);
    agent.onResume();
    expect(agent.runner.cycles).toBe(1);
    expect(results[0]).toBe(results[1]);
    expect(seen.snapshots).toEqual([results[0]]);
    expect(seen.checking).toEqual([true, false]);
    expect(agent.getSnapshot()).toBe(results[0]);
    expect(results[0]!.findings.length).toBeGreaterThan(0);
    expect(await agent.getHistory()).toEqual([results[0]]);
    expect(existsSync(join(dataDir, 'notify-state.json'))).toBe(true);
    const status = agent.getStatus();
    expect(status).toMatchObject({ checking: false, logDir: join(dataDir, 'my-logs'), shell: { computerName: 'RDPHOST01' } });
    expect(status.settingsProblem).toBeUndefined();
    expect(Date.parse(status.nextCheckAt!) - Date.now()).toBeGreaterThan(25 * 60_000);
    await until(() => readdirSync(join(dataDir, 'my-logs')).some((name) => name.endsWith('.log')), 'the log file');
    const logs = await agent.getLogs({ limit: 500 });
    expect(logs.map((entry) => entry.message)).toEqual(expect.arrayContaining(['powershell shell started', 'check cycle finished']));
  });

  it('a corrupt settings file and an unwritable log folder are reported, and checks still run', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'settings.json'), '{"checkIntervalMinutes": 1');
    writeFileSync(join(dataDir, 'not-a-folder'), '');
    const agent = await create({ dataDir, simulate: 'healthy', probes: [nla], logDir: join(dataDir, 'not-a-folder', 'logs') });
    const status = agent.getStatus();
    expect(status.settingsProblem).toMatch(/settings\.json\.corrupt-/);
    expect(status.loggingProblem).toMatch(/not writable/);
    expect(status.problems.map((problem) => problem.kind)).toEqual(['settings', 'logging']);
    expect(readdirSync(dataDir).some((name) => name.startsWith('settings.json.corrupt-'))).toBe(true);
    expect(agent.getSettings().checkIntervalMinutes).toBe(30);
    expect((await agent.checkNow()).findings[0]).toMatchObject({ probeId: 'nla', status: 'ok' });
    await agent.setSettings({ checkIntervalMinutes: 10 });
    await expect(agent.setSettings({ checkIntervalMinutes: 1 })).rejects.toThrow(/checkIntervalMinutes/);
    await agent.stop();
    const again = await create({ dataDir, probes: [nla], logger: { debug() {}, info() {}, warn() {}, error() {} } });
    expect(again.getSettings().checkIntervalMinutes).toBe(10);
    expect(again.getStatus().settingsProblem).toBeUndefined();
  });

  it('a clock jump of two days forward: one cycle, and exactly the certificate warning now due; nothing repeats after a restart', async () => {
    const dataDir = tempDir();
    const scenario = join(dataDir, 'expiring.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        description: 'certificate expires in 15.5 days',
        extends: 'healthy',
        patch: { certificates: { 'LocalMachine\\Remote Desktop': { '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12': { NotAfter: 'now+15.5d' } } } },
      }),
    );
    const clock = new FakeClock(Date.now());
    const now = () => new Date(clock.now());
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const agent = await create({ dataDir, simulate: scenario, probes: [certificate], clock, now, logger: quiet });
    const seen = record(agent);
    agent.start();
    await until(() => seen.snapshots.length === 1, 'the first cycle');
    expect(seen.snapshots[0]!.overall).toBe('warn');
    expect(seen.notifications.map((n) => n.id)).toEqual(['certificate-expiry:5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12:30']);
    await settle();

    await clock.jump(2 * DAY); // the scheduled check is long overdue
    agent.onResume(); // and the machine says it woke up
    await until(() => seen.snapshots.length === 2, 'the cycle after the jump');
    await clock.advance(60_000);
    await settle();
    expect(agent.runner.cycles).toBe(2);
    expect(seen.snapshots).toHaveLength(2);
    expect(seen.notifications.map((n) => n.id)).toEqual([
      'certificate-expiry:5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12:30',
      'certificate-expiry:5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12:14',
    ]);
    expect(seen.notifications[1]).toMatchObject({ probeId: 'certificate', body: expect.stringContaining('13 days') });
    expect(clock.pending()).toHaveLength(1);
    await agent.stop();

    const restarted = await create({ dataDir, simulate: scenario, probes: [certificate], clock, now, logger: quiet });
    const after = record(restarted);
    await restarted.checkNow();
    expect(after.notifications).toEqual([]);
    expect(await restarted.getHistory()).toHaveLength(3);
  });

  it('stays "checking" while a cycle queued behind a recheck still runs', async () => {
    const gates: (() => void)[] = [];
    const gated: NodeProbe = {
      kind: 'node',
      id: 'gated',
      title: 'Gated probe',
      run: () => new Promise((resolve) => gates.push(() => resolve({ status: 'ok', summary: 'fine', evidence: {}, fixes: [] }))),
    };
    const agent = await create({ dataDir: tempDir(), simulate: 'healthy', probes: [nla, gated] });
    const seen = record(agent);
    const recheck = agent.recheck(['gated']);
    await until(() => gates.length === 1, 'the recheck');
    // A full check does not join a subset run: it runs after it.
    const full = agent.checkNow();
    gates[0]!();
    await recheck;
    expect(agent.getStatus().checking).toBe(true);
    expect(seen.checking).toEqual([true]);
    await until(() => gates.length === 2, 'the full cycle');
    gates[1]!();
    await full;
    expect(agent.getStatus().checking).toBe(false);
    expect(seen.checking).toEqual([true, false]);
  });
});

