/** `--nagios` always answers, `--simulate ''` is refused, settings changes never lose one another (issue 17, items 8-10). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../electron/agent/agent.js';
import type { ScriptSession } from '../../electron/agent/powershell-session.js';
import { silentLogger } from '../../electron/agent/logging.js';
import { main } from '../../electron/cli.js';
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
    const agent = await Agent.create({ dataDir, session: quietSession, logger: silentLogger, sharedDir: null, eventLog: false });
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
    const agent = await Agent.create({ dataDir: tempDir('settings-race-'), session: quietSession, logger: silentLogger, sharedDir: null, eventLog: false });
    const results = await Promise.allSettled([agent.setSettings({ checkIntervalMinutes: 1 }), agent.setSettings({ checkIntervalMinutes: 15 })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(agent.getSettings().checkIntervalMinutes).toBe(15);
    await agent.stop();
  });
});
