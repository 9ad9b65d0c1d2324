import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeRestriction,
  PowerShellSession,
  ScriptParameterError,
  ShellDiedError,
  ShellTimeoutError,
  ShellUnavailableError,
} from '../../../electron/agent/powershell-session.js';
import { fixturesDir, probesDir, simHost, simSession } from './helpers.js';

const echo = join(fixturesDir, 'Get-TestEcho.ps1');
/** Running (a zombie waiting for a parent to reap it counts as gone). */
const isRunning = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('PowerShellSession on the simulated host (real pwsh)', () => {
  let session: PowerShellSession;
  beforeAll(async () => {
    session = simSession(await simHost('healthy'), { timeoutMs: 20_000 });
  });
  afterAll(() => session.dispose());

  it('starts one shell, says what it is, and runs a real probe script in it', async () => {
    const info = await session.start();
    expect(info).toMatchObject({ edition: 'Core', languageMode: 'FullLanguage', computerName: 'RDPHOST01' });
    expect(info.executionPolicies.map((p) => p.scope)).toContain('MachinePolicy');
    expect(info.restriction).toBeUndefined();
    const stdout = await session.runScript(join(probesDir, 'nla', 'Get-RdpNla.ps1'));
    expect(JSON.parse(stdout)).toMatchObject({ probe: 'nla', ok: true, data: { effective: 1 } });
    const again = await session.invokeScript(echo);
    expect(JSON.parse(again.stdout).pid).toBe(info.pid);
    expect(session.startCount).toBe(1);
  });

  it('hands values over verbatim: quotes, typographic quotes, $(), semicolons and non-ASCII cannot inject', async () => {
    const text = `it's "q" \u2018smart\u2019 \u201Cdouble\u201D $(Write-Output pwned); exit; J\u00fcrgen \u20ac \u{1F600}`;
    const stdout = await session.runScript(echo, { Text: text, Number: -42, Real: 2.5, Flag: true, Truth: false });
    expect(JSON.parse(stdout)).toMatchObject({ text, number: -42, real: 2.5, flag: true, truth: false });
  });

  it('refuses a bad parameter name before anything runs', async () => {
    await expect(session.runScript(echo, { 'Text; Remove-Item': 'x' })).rejects.toThrow(ScriptParameterError);
  });

  it('returns what a script wrote to stderr instead of throwing', async () => {
    const result = await session.invokeScript(join(fixturesDir, 'Get-TestGarbage.ps1'));
    expect(result.stdout).toContain('forgot its envelope');
    expect(result.stderr).toContain('complained on stderr');
  });

  it('a script that runs past its timeout: the shell is killed, the next script gets a new one', async () => {
    const before = (await session.start()).pid;
    const started = Date.now();
    await expect(session.runScript(join(fixturesDir, 'Get-TestHang.ps1'), {}, { timeoutMs: 1500 })).rejects.toThrow(ShellTimeoutError);
    expect(Date.now() - started).toBeLessThan(6000);
    // The real shell, not just a launcher in front of it; SIGKILL is asynchronous: wait for it to be gone.
    await expect.poll(() => isRunning(before), { timeout: 10_000 }).toBe(false);
    const after = JSON.parse(await session.runScript(echo)).pid as number;
    expect(after).not.toBe(before);
    expect(JSON.parse(await session.runScript(echo)).computerName).toBe('RDPHOST01'); // the sim is loaded again
  });

  it('a shell killed while idle is replaced on the next call', async () => {
    const before = (await session.start()).pid;
    process.kill(before, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = JSON.parse(await session.runScript(echo)).pid as number;
    expect(after).not.toBe(before);
  });

  it('a shell killed mid-script is a ShellDiedError, and the next call works', async () => {
    const pid = (await session.start()).pid;
    const running = session.runScript(join(fixturesDir, 'Get-TestSlow.ps1'), { Seconds: 5 });
    setTimeout(() => process.kill(pid, 'SIGKILL'), 500);
    await expect(running).rejects.toThrow(ShellDiedError);
    expect(JSON.parse(await session.runScript(echo)).pid).not.toBe(pid);
  });

  it('a script that exits the shell is a ShellDiedError, and the next call works', async () => {
    await expect(session.runScript(join(fixturesDir, 'Get-TestExit.ps1'))).rejects.toThrow(ShellDiedError);
    expect(JSON.parse(await session.runScript(echo)).computerName).toBe('RDPHOST01');
  });
});

describe('PowerShellSession when PowerShell is missing or broken', () => {
  it('a missing executable is a ShellUnavailableError, every time', async () => {
    const session = new PowerShellSession({ shell: 'pwsh', executablePath: '/nonexistent/pwsh' });
    await expect(session.runScript(echo)).rejects.toThrow(ShellUnavailableError);
    await expect(session.runScript(echo)).rejects.toThrow(/not found at \/nonexistent\/pwsh/);
    await session.dispose();
  });

  it('an executable that is not PowerShell is a ShellUnavailableError, not a hang', async () => {
    const session = new PowerShellSession({ executablePath: '/bin/false', startTimeoutMs: 5000 });
    await expect(session.start()).rejects.toThrow(ShellUnavailableError);
    await session.dispose();
  });

  it('a shell locked into ConstrainedLanguage mode (WDAC/AppLocker) is a ShellUnavailableError that says so', async () => {
    const session = new PowerShellSession({ executablePath: join(fixturesDir, 'fake-constrained-pwsh.sh'), startTimeoutMs: 1500 });
    await expect(session.start()).rejects.toThrow(/ConstrainedLanguage mode on this computer \(application control/);
    await session.dispose();
  });

  it('Windows PowerShell off Windows is a ShellUnavailableError that says so', async () => {
    const session = new PowerShellSession({ shell: 'windows-powershell' });
    await expect(session.start()).rejects.toThrow(/only on Windows/);
  });
});

describe('describeRestriction', () => {
  const policies = (machine: string) => [
    { scope: 'MachinePolicy', policy: machine },
    { scope: 'LocalMachine', policy: 'RemoteSigned' },
  ];
  it('names ConstrainedLanguage mode and Group Policy execution policies that block unsigned scripts', () => {
    expect(describeRestriction({ languageMode: 'ConstrainedLanguage', executionPolicies: policies('Undefined') })).toMatch(/ConstrainedLanguage mode/);
    expect(describeRestriction({ languageMode: 'FullLanguage', executionPolicies: policies('AllSigned') })).toMatch(/Group Policy sets .* AllSigned \(MachinePolicy\)/);
    expect(describeRestriction({ languageMode: 'FullLanguage', executionPolicies: policies('Undefined') })).toBeUndefined();
  });
});
