/** `--nagios` always answers, `--simulate ''` is refused, settings changes never lose one another (issue 17, items 8-10). */
import { EventEmitter } from 'node:events';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../electron/agent/agent.js';
import type { ScriptSession } from '../../electron/agent/powershell-session.js';
import { silentLogger } from '../../electron/agent/logging.js';
import { installLastResort } from '../../electron/agent/last-resort.js';
import { main } from '../../electron/cli.js';
import { removeStaleCliDirs } from '../../electron/cli/cli-temp-dir.js';
import { parseHandshakeArgs, runHandshakeCommand } from '../../electron/cli/handshake-command.js';
import { tempDir } from '../integration/agent/helpers.js';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (text) => (stdout += `${text}\n`), err: (text) => (stderr += `${text}\n`) });
  return { code, stdout, stderr };
}

describe('rdp-health check --nagios when it cannot check', () => {
  it.each([
    [['check', '--nagios', '--frobnicate'], /^RDP HEALTH UNKNOWN - wrong arguments: .*frobnicate/],
    [['check', '--nagios', '--timeout', '0.001', '--simulate', 'healthy'], /^RDP HEALTH UNKNOWN - wrong arguments: --timeout takes a number of seconds from 1/],
    [['check', '--nagios', '--simulate', ''], /^RDP HEALTH UNKNOWN - wrong arguments: --simulate needs a scenario/],
    [['check', '--nagios', '--simulate', '/nonexistent/scenario.json'], /^RDP HEALTH UNKNOWN - .*scenario/i],
  ])('%j prints one UNKNOWN line on stdout and exits 3', async (args, line) => {
    const run = await cli(args);
    expect(run.code).toBe(3);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(line);
  });

  it('without --nagios the reason stays on stderr and stdout stays empty', async () => {
    const run = await cli(['check', '--simulate', '']);
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toMatch(/--simulate needs a scenario/);
  });
});

describe('settings changes', () => {
  const quietSession: ScriptSession = {
    invokeScript: async () => ({ stdout: '', stderr: '', durationMs: 0 }),
    runScript: async () => '',
    info: () => undefined,
    dispose: async () => undefined,
  };

  it('overlapping changes (the tray\'s "Start at login" and a window save) are serialised: none is lost', async () => {
    const dataDir = tempDir('settings-race-');
    const agent = await Agent.create({ dataDir, session: quietSession, logger: silentLogger, hostSnapshot: false, eventLog: false });
    await Promise.all([
      agent.setSettings({ startAtLogin: false }),
      agent.setSettings({ checkIntervalMinutes: 45 }),
      agent.setSettings({ notifications: false }),
      agent.setSettings({ probeTimeoutSeconds: 90 }),
    ]);
    expect(agent.getSettings()).toMatchObject({ startAtLogin: false, checkIntervalMinutes: 45, notifications: false, probeTimeoutSeconds: 90 });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ startAtLogin: false, checkIntervalMinutes: 45, notifications: false, probeTimeoutSeconds: 90 });
    await agent.stop();
  });

  it('a refused change does not block the ones after it', async () => {
    const agent = await Agent.create({ dataDir: tempDir('settings-race-'), session: quietSession, logger: silentLogger, hostSnapshot: false, eventLog: false });
    const results = await Promise.allSettled([agent.setSettings({ checkIntervalMinutes: 1 }), agent.setSettings({ checkIntervalMinutes: 15 })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(agent.getSettings().checkIntervalMinutes).toBe(15);
    await agent.stop();
  });
});

describe('rdp-health handshake --timeout', () => {
  it('refuses a timeout out of bounds', () => {
    expect(parseHandshakeArgs(['--timeout', '0.001'])).toMatchObject({ ok: false, problem: expect.stringMatching(/from 1 to 86400/) });
    expect(parseHandshakeArgs(['--timeout=5', '127.0.0.1:1'])).toMatchObject({ ok: true, timeoutSeconds: 5 });
  });

  it('bounds the whole handshake against a peer that accepts and never answers', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    let stdout = '';
    try {
      const code = await runHandshakeCommand(['--json', '--timeout', '1', `127.0.0.1:${port}`], { out: (text) => (stdout += text), err: () => undefined }, { timeouts: { replyMs: 60_000 } });
      expect(code).toBe(3);
      expect(JSON.parse(stdout)).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/did not finish within 1 seconds/) });
    } finally {
      server.close();
    }
  });
});

describe('the process-level last resort', () => {
  const recorder = () => {
    const errors: string[] = [];
    return { errors, logger: { debug() {}, info() {}, warn() {}, error: (message: string) => void errors.push(message) } };
  };

  it('the tray agent logs what nothing caught and keeps running', () => {
    const target = new EventEmitter();
    const exits: number[] = [];
    const { errors, logger } = recorder();
    const remove = installLastResort({ logger, mode: 'keep-running', target: target as never, exit: (code) => void exits.push(code) });
    target.emit('uncaughtException', new Error('ENOSPC from a stream nobody listened on'));
    target.emit('unhandledRejection', new Error('late rejection'));
    expect(errors).toEqual(['uncaught exception: kept running', 'unhandled rejection: kept running']);
    expect(exits).toEqual([]);
    remove();
    expect(target.listenerCount('uncaughtException')).toBe(0);
  });

  it('the CLI exits cleanly with 3, even when the logger throws', () => {
    const target = new EventEmitter();
    const exits: number[] = [];
    installLastResort({ logger: { ...silentLogger, error: () => { throw new Error('log broken'); } }, mode: 'exit', target: target as never, exit: (code) => void exits.push(code) });
    target.emit('uncaughtException', new Error('boom'));
    expect(exits).toEqual([3]);
  });
});

describe('the temp folder of a check killed outright (SIGKILL)', () => {
  it('is removed by the next run; a live run\'s folder and a planted link are left alone', async () => {
    const parent = tempDir('cli-temp-');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    mkdirSync(join(parent, `rdp-health-cli-${dead}-abc123`, 'simulated-host'), { recursive: true });
    mkdirSync(join(parent, `rdp-health-cli-${process.ppid}-def456`));
    const elsewhere = tempDir('elsewhere-');
    symlinkSync(elsewhere, join(parent, `rdp-health-cli-${dead}-link`));
    expect(await removeStaleCliDirs(parent)).toEqual([join(parent, `rdp-health-cli-${dead}-abc123`)]);
    expect(existsSync(join(parent, `rdp-health-cli-${process.ppid}-def456`))).toBe(true);
    expect(existsSync(elsewhere)).toBe(true);
  });
});
