import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { worstStatus } from '../../../probes/common/finding.js';
import type { NodeProbe } from '../../../probes/common/probe.js';
import { PROBES, findProbe } from '../../../probes/index.js';
import { CheckRunner, UnknownProbeError, type RunnableProbe } from '../../../electron/agent/check-runner.js';
import { PowerShellSession } from '../../../electron/agent/powershell-session.js';
import { fixtureProbe, probesDir, simHost, simSession } from './helpers.js';

const powershellProbes = PROBES.filter((probe) => probe.kind === 'powershell');
const nla = findProbe('nla')!;

let healthy: string;
const sessions: PowerShellSession[] = [];
function runner(probes: readonly RunnableProbe[], options: { timeoutMs?: number; statePath?: string; session?: PowerShellSession } = {}) {
  const session = options.session ?? simSession(options.statePath ?? healthy);
  sessions.push(session);
  return { session, runner: new CheckRunner({ session, probesDir, probes, probeTimeoutMs: () => options.timeoutMs ?? 20_000 }) };
}

beforeAll(async () => {
  healthy = await simHost('healthy');
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.dispose()));
});

describe('CheckRunner on the simulated host (real pwsh, real probe scripts)', () => {
  it('runs every PowerShell probe in one warm shell and gives one real finding each, in catalogue order', async () => {
    const { runner: r, session } = runner(powershellProbes);
    const snapshot = await r.run();
    expect(snapshot.findings.map((f) => f.probeId)).toEqual(powershellProbes.map((p) => p.id));
    for (const finding of snapshot.findings) expect(finding.status, `${finding.probeId}: ${finding.summary}`).not.toBe('unknown');
    expect(snapshot.overall).toBe(worstStatus(snapshot.findings.map((f) => f.status)));
    expect(snapshot.host).toBe('RDPHOST01');
    expect(session.startCount).toBe(1);
    expect(r.dataOf('nla')).toMatchObject({ effective: 1 });
    expect(r.latest()).toBe(snapshot);
  });

  it('concurrent triggers give one cycle', async () => {
    const { runner: r } = runner([nla]);
    const results = await Promise.all([r.run(), r.run(), r.run({ probeIds: ['nla'] })]);
    expect(r.cycles).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('a subset run is merged into the latest snapshot; an unknown id is refused', async () => {
    const garbage = fixtureProbe('test-garbage', 'Get-TestGarbage.ps1');
    const { runner: r } = runner([nla, garbage]);
    const full = await r.run();
    const subset = await r.run({ probeIds: ['nla'] });
    expect(subset.findings.map((f) => f.probeId)).toEqual(['nla', 'test-garbage']);
    expect(subset.findings[1]).toBe(full.findings[1]);
    expect(subset.overall).toBe('unknown');
    expect(() => r.run({ probeIds: ['nope'] })).toThrow(UnknownProbeError);
  });

  it('a probe that hangs: the cycle finishes, that probe is unknown "timed out", the others are read, the next cycle works', async () => {
    const hang = fixtureProbe('test-hang', 'Get-TestHang.ps1');
    const { runner: r, session } = runner([nla, hang, powershellProbes.at(-1)!], { timeoutMs: 5000 });
    const first = await r.run();
    const byId = new Map(first.findings.map((f) => [f.probeId, f]));
    expect(byId.get('test-hang')).toMatchObject({ status: 'unknown', summary: expect.stringContaining('timed out') });
    expect(byId.get('nla')?.status).toBe('ok');
    expect(byId.get(powershellProbes.at(-1)!.id)?.status).not.toBe('unknown');
    expect(session.startCount).toBe(2); // recycled after the timeout
    const second = await r.run();
    expect(second.findings.find((f) => f.probeId === 'nla')?.status).toBe('ok');
    expect(r.cycles).toBe(2);
  });

  it('a hang fault in the scenario (simulated Get-WinEvent never returns) times out only the probe that reads events', async () => {
    const statePath = await simHost({ faults: { 'Get-WinEvent': { kind: 'hang' } } });
    const certificate = findProbe('certificate')!;
    const { runner: r } = runner([certificate, nla], { timeoutMs: 5000, statePath });
    const snapshot = await r.run();
    expect(snapshot.findings.map((f) => [f.probeId, f.status])).toEqual([
      ['certificate', 'unknown'],
      ['nla', 'ok'],
    ]);
    expect(snapshot.findings[0]!.summary).toContain('timed out');
  });

  it('a shell killed mid-cycle: the probe it was running is retried in a new shell, nothing is lost', async () => {
    const slow = fixtureProbe('test-slow', 'Get-TestSlow.ps1');
    const { runner: r, session } = runner([nla, slow, powershellProbes.at(-1)!]);
    await session.start();
    const cycle = r.run();
    // Kill the shell while the slow probe runs (it sleeps 2 s).
    const killer = setInterval(() => {
      const pid = session.info()?.pid;
      if (pid && r.isRunning()) {
        process.kill(pid, 'SIGKILL');
        clearInterval(killer);
      }
    }, 700);
    const snapshot = await cycle;
    clearInterval(killer);
    expect(session.startCount).toBeGreaterThanOrEqual(2);
    expect(snapshot.findings).toHaveLength(3);
    for (const finding of snapshot.findings) expect(finding.status, `${finding.probeId}: ${finding.summary}`).not.toBe('unknown');
  });

  it('garbage on stdout is that probe\'s unknown finding saying what came back (stderr included); the rest is fine', async () => {
    const garbage = fixtureProbe('test-garbage', 'Get-TestGarbage.ps1');
    const { runner: r } = runner([garbage, nla]);
    const [bad, good] = (await r.run()).findings;
    expect(bad).toMatchObject({ status: 'unknown', summary: expect.stringContaining('not JSON') });
    expect(bad!.evidence['PowerShell errors']).toContain('complained on stderr');
    expect(good!.status).toBe('ok');
  });

  it('pwsh missing: every PowerShell probe is unknown saying so, node probes still run, the cycle returns', async () => {
    const session = new PowerShellSession({ executablePath: '/nonexistent/pwsh' });
    const nodeProbe: NodeProbe = { kind: 'node', id: 'test-node', title: 'Node probe', run: async () => ({ status: 'ok', summary: 'fine', evidence: {}, fixes: [] }) };
    const { runner: r } = runner([...powershellProbes, nodeProbe], { session });
    const snapshot = await r.run();
    for (const finding of snapshot.findings.slice(0, -1)) {
      expect(finding).toMatchObject({ status: 'unknown', summary: 'PowerShell could not be started, so this check could not run.' });
      expect(String(finding.evidence.problem)).toContain('/nonexistent/pwsh');
    }
    expect(snapshot.findings.at(-1)).toMatchObject({ probeId: 'test-node', status: 'ok' });
    expect(snapshot.overall).toBe('unknown');
  });

  it('node probes run after the PowerShell probes and read their data from this cycle; a hung node probe times out', async () => {
    const seen: unknown[] = [];
    const reader: NodeProbe = {
      kind: 'node',
      id: 'test-reader',
      title: 'Reader',
      run: async (ctx) => {
        seen.push(ctx.dataOf('nla'));
        return { status: 'ok', summary: 'read', evidence: {}, fixes: [] };
      },
    };
    let aborted = false;
    const stuck: NodeProbe = {
      kind: 'node',
      id: 'test-stuck',
      title: 'Stuck',
      run: (ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener('abort', () => (aborted = true));
        }),
    };
    const { runner: r } = runner([reader, stuck, nla], { timeoutMs: 4000 });
    const snapshot = await r.run();
    expect(seen).toEqual([expect.objectContaining({ effective: 1 })]);
    expect(snapshot.findings.map((f) => f.probeId)).toEqual(['test-reader', 'test-stuck', 'nla']);
    expect(snapshot.findings[1]).toMatchObject({ status: 'unknown', summary: expect.stringContaining('timed out') });
    expect(aborted).toBe(true);
  });
});
