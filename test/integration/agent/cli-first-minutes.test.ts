/**
 * The CLI as a newcomer meets it: no pwsh (a temp HOME and a PATH without it), the simulated host's
 * working copy shared by check, fix and undo, and messages that name what is wrong.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli.js';
import { PowerShellSession } from '../../../electron/agent/powershell-session.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'rdp-cli-first-'));
afterAll(() => rm(work, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function spawnNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: repoRoot, env, timeout: 60_000 }, (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

describe('a machine without pwsh', () => {
  const home = join(work, 'home');
  mkdirSync(home);
  const nodeOnly = join(work, 'node-only');
  mkdirSync(nodeOnly);
  symlinkSync(process.execPath, join(nodeOnly, 'node'));
  const dotnetDir = '/usr/share/dotnet';

  it('with the .NET SDK: the message names `npm run setup`, and setup would install PowerShell 7.6.9 as a global tool', async () => {
    const env = { HOME: home, PATH: `${dotnetDir}:${nodeOnly}` };
    const check = await spawnNode(['bin/rdp-health.mjs', 'check', '--simulate', 'healthy', '--data-dir', join(work, 'd0')], env);
    expect(check.code).toBe(3);
    expect(check.stderr).toContain('PowerShell 7 (pwsh) was not found on PATH or in ~/.dotnet/tools. The .NET SDK is here: `npm run setup` installs it');
    const setup = await spawnNode(['scripts/setup.mjs', '--print'], env);
    expect(setup.stdout).toContain('> dotnet tool install --global PowerShell --version 7.6.9');
  });

  it('without it: the message says to install the .NET SDK, then npm run setup', async () => {
    const check = await spawnNode(['bin/rdp-health.mjs', 'check', '--simulate', 'healthy', '--data-dir', join(work, 'd1')], { HOME: home, PATH: nodeOnly });
    expect(check.code).toBe(3);
    expect(check.stderr).toMatch(/Install the \.NET SDK \(https:\/\/dot\.net\/download\) and run `npm run setup`/);
  });
});

describe('one simulated host for check, fix and undo', () => {
  it('a check after a fix sees the fix; --reset starts again from the scenario; each says which copy it used', async () => {
    const dataDir = join(work, 'data');
    const first = await cli('check', '--simulate', 'nla-off-local', '--probe', 'nla', '--data-dir', dataDir);
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/^Simulated host: a new working copy of nla-off-local at .*nla-off-local\.json/);
    const fixed = await cli('fix', 'nla.enable', '--simulate', 'nla-off-local', '--data-dir', dataDir);
    expect(fixed.out).toMatch(/Fixed/);
    expect(fixed.err).not.toMatch(/new working copy/);
    const after = await cli('check', '--simulate', 'nla-off-local', '--probe', 'nla', '--data-dir', dataDir, '--verbose');
    expect(after.code).toBe(0);
    expect(after.err).toMatch(/Simulated host: the working copy .*nla-off-local\.json, with the changes of earlier commands/);
    const reset = await cli('check', '--simulate', 'nla-off-local', '--probe', 'nla', '--data-dir', dataDir, '--reset');
    expect(reset.code).toBe(1);
    expect(reset.err).toMatch(/a new working copy/);
  }, 240_000);
});

describe('messages that name what is wrong', () => {
  it.each([
    ['empty', '', /The scenario file .*empty\.json is empty/],
    ['null', 'null', /The scenario file .*null\.json must hold a JSON object, not null/],
    ['invalid', '{ "registry": ', /The scenario file .*invalid\.json is not valid JSON/],
  ])('an %s scenario file is named, without PowerShell internals', async (name, text, message) => {
    const file = join(work, `${name}.json`);
    writeFileSync(file, text);
    const result = await cli('check', '--simulate', file, '--data-dir', join(work, 'd2'));
    expect(result.code).toBe(3);
    expect(result.err).toMatch(message);
    expect(result.err).not.toMatch(/Initialize-SimHost|at line|ConvertFrom-Json/);
  });

  it('a fix whose first step is refused says nothing was changed, and leaves no undo record', async () => {
    const dataDir = join(work, 'd4');
    const result = await cli('fix', 'nla.enable', '--simulate', 'nla-setter-refused-by-policy', '--data-dir', dataDir);
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/Failed: Nothing was changed: Win32_TSGeneralSetting\.SetUserAuthenticationRequired was refused \(0x80041016\): group policy controls this setting\./);
    expect(result.out).not.toMatch(/put back|Undo with/);
    expect(readdirSync(dataDir, { recursive: true }).filter((name) => String(name).endsWith('.undo.json'))).toEqual([]);
  }, 120_000);

  it('--probe handshake on a simulated host says why it does not run there', async () => {
    const result = await cli('check', '--probe', 'handshake', '--simulate', 'healthy', '--data-dir', join(work, 'd3'));
    expect(result.code).toBe(3);
    expect(result.err).toMatch(/the handshake check opens real network connections, so it does not run on a simulated host/);
    expect(result.err).not.toMatch(/Unknown check/);
  });
});

describe('a shell that exits mid-script', () => {
  it('says so plainly, with its pid, never "undefined"', async () => {
    const script = join(work, 'exits.ps1');
    writeFileSync(script, 'Stop-Process -Id $PID -Force\n');
    const session = new PowerShellSession({});
    try {
      const error = await session.runScript(script).then(() => undefined, (e: unknown) => e as Error);
      expect(error?.message).toMatch(new RegExp(`^PowerShell \\(pid \\d+\\) exited while running ${script.replace(/[.\\/]/g, '\\$&')}\\.$`));
    } finally {
      await session.dispose();
    }
  });
});
