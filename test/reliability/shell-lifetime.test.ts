/**
 * The PowerShell child's life is bound to the agent's (issue 17, items 4-6): a SIGKILL of the
 * agent, a supervisor's SIGTERM of `rdp-health check`, a shell that stops answering, a script
 * that prints without end, and a warm shell that lives for days. Real pwsh, real child processes.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAdminPolicy } from '../../electron/agent/admin-policy.js';
import { CheckRunner, NOT_ANSWERING_SUMMARY } from '../../electron/agent/check-runner.js';
import { ShellOutputTooLargeError, type PowerShellSession } from '../../electron/agent/powershell-session.js';
import { fixtureProbe, fixturesDir, probesDir, simHost, simSession, tempDir } from '../integration/agent/helpers.js';

const repoRoot = resolve(import.meta.dirname, '../..');

/** Running (a zombie waiting for a parent to reap it counts as gone). */
const isRunning = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

async function until(condition: () => boolean, ms = 20_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (condition()) return true;
    await new Promise((done) => setTimeout(done, 100));
  }
  return condition();
}

function child(args: string[]) {
  const proc = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));
  return { proc, exited, out: () => stdout, err: () => stderr };
}

const sessions: PowerShellSession[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((session) => session.dispose()));
});

describe('the shell dies with the agent', () => {
  it('a SIGKILL of the agent (no handler runs) still ends its PowerShell, hung probe and all', async () => {
    const agent = child(['--import', 'tsx', 'test/reliability/fixtures/hold-shell.ts']);
    expect(await until(() => /shell \d+/.test(agent.out()), 60_000)).toBe(true);
    const shellPid = Number(/shell (\d+)/.exec(agent.out())![1]);
    expect(isRunning(shellPid)).toBe(true);
    agent.proc.kill('SIGKILL');
    await agent.exited;
    expect(await until(() => !isRunning(shellPid))).toBe(true);
  }, 90_000);

  it('`check` stopped by SIGTERM (a monitoring timeout): shell killed, temp folder removed, exit 3, UNKNOWN line', async () => {
    const dir = tempDir('hung-');
    const scenario = join(dir, 'hung-registry.json');
    writeFileSync(scenario, JSON.stringify({ description: 'registry reads hang', extends: 'healthy', patch: { faults: { 'Get-ItemProperty': { kind: 'hang' } } } }));
    const check = child(['bin/rdp-health.mjs', 'check', '--nagios', '--verbose', '--timeout', '300', '--probe', 'nla', '--simulate', scenario]);
    expect(await until(() => /powershell shell started .*"pid":\d+/.test(check.err()), 60_000)).toBe(true);
    const shellPid = Number(/powershell shell started .*?"pid":(\d+)/.exec(check.err())![1]);
    const dataDir = /"dataDir":"([^"]+)"/.exec(check.err())![1]!;
    expect(existsSync(dataDir)).toBe(true);
    check.proc.kill('SIGTERM');
    expect(await check.exited).toBe(3);
    expect(check.out()).toMatch(/^RDP HEALTH UNKNOWN - stopped by SIGTERM/);
    expect(existsSync(dataDir)).toBe(false);
    expect(await until(() => !isRunning(shellPid))).toBe(true);
  }, 90_000);
});

describe('time limits that hold', () => {
  it('the administrator policy read honours the timeout it is given', async () => {
    const dir = tempDir('hung-policy-');
    const scenario = join(dir, 'hung-policy.json');
    writeFileSync(scenario, JSON.stringify({ description: 'the policy key is there, its read hangs', extends: 'admin-policy', patch: { faults: { 'Get-ItemProperty': { kind: 'hang' } } } }));
    const session = simSession(await simHost(scenario));
    sessions.push(session);
    const read = await readAdminPolicy(session, probesDir, undefined, 1500);
    expect(read.error).toMatch(/did not finish .* within 2 s/);
  }, 180_000);

  it('after two timeouts in a row the rest of the cycle is "not checked: PowerShell is not answering"', async () => {
    const session = simSession(await simHost('healthy'));
    sessions.push(session);
    const probes = ['a', 'b', 'c', 'd'].map((id) => fixtureProbe(id, 'Get-TestHang.ps1'));
    const runner = new CheckRunner({ session, probesDir, probes, probeTimeoutMs: () => 1500 });
    const snapshot = await runner.run();
    expect(snapshot.findings.map((finding) => finding.summary)).toEqual([
      expect.stringMatching(/timed out/),
      expect.stringMatching(/timed out/),
      NOT_ANSWERING_SUMMARY,
      NOT_ANSWERING_SUMMARY,
    ]);
    expect(session.startCount).toBe(2);
  }, 180_000);
});

describe('memory stays flat with a warm shell', () => {
  it('keeps no output history across commands', async () => {
    const session = simSession(await simHost('healthy'));
    sessions.push(session);
    for (let i = 0; i < 30; i += 1) await session.runScript(join(fixturesDir, 'Get-TestEcho.ps1'), { Text: 'x'.repeat(1000) });
    const live = (session as unknown as { live: { shell: { history: unknown[] } } }).live;
    expect(live.shell.history.length).toBe(0);
  }, 180_000);

  it('a script printing past the cap is stopped and says so; the next script runs in a fresh shell', async () => {
    const session = simSession(await simHost('healthy'), { maxOutputBytes: 256 * 1024 });
    sessions.push(session);
    const flood = session.runScript(join(fixturesDir, 'Get-TestFlood.ps1'), { Megabytes: 50 });
    await expect(flood).rejects.toThrow(ShellOutputTooLargeError);
    await expect(flood).rejects.toThrow(/printed more than 256 kB; it was stopped/);
    expect(JSON.parse(await session.runScript(join(fixturesDir, 'Get-TestEcho.ps1'))).computerName).toBe('RDPHOST01');
  }, 180_000);
});
