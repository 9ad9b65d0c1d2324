/**
 * Agent core benchmark on the simulated host, three ways of running the same PowerShell probe
 * scripts: a full cycle through the warm session (the agent), each script in a fresh pwsh process
 * (what a naive agent would do), and all scripts back to back inside one pwsh with no agent
 * around them (the floor). All three load the simulated host the same way.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PowerShellProbe } from '../probes/common/probe.js';
import { PROBES } from '../probes/index.js';
import { CheckRunner } from '../electron/agent/check-runner.js';
import { powershellLiteral } from '../electron/agent/powershell-command.js';
import { resolveShellExecutable } from '../electron/agent/powershell-executable.js';
import { PowerShellSession } from '../electron/agent/powershell-session.js';
import { probeScriptPath, resolveProbesDir, simModulePath } from '../electron/agent/script-paths.js';
import { prepareSimulatedHost } from '../electron/agent/simulated-host.js';
import { median, round, type BenchSection } from './bench-section.js';

const ROUNDS = 7;
const run = promisify(execFile);
const ENV = { ...process.env, NO_COLOR: '1', TERM: 'dumb' };

/** A plain pwsh reading commands from stdin: each pass runs every script and prints its own Stopwatch time. */
class DirectShell {
  private constructor(
    private readonly child: ReturnType<typeof spawn>,
    private readonly lines: AsyncIterator<string>,
  ) {}

  static async start(pwsh: string, setup: string[]): Promise<DirectShell> {
    const child = spawn(pwsh, ['-NoProfile', '-NonInteractive', '-Command', '-'], { env: ENV, stdio: ['pipe', 'pipe', 'inherit'] });
    const shell = new DirectShell(child, createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
    child.stdin!.write(`${setup.join('; ')}; [Console]::Out.WriteLine('READY')\n`);
    await shell.until('READY');
    return shell;
  }

  async pass(): Promise<number> {
    this.child.stdin!.write("$w = [Diagnostics.Stopwatch]::StartNew(); foreach ($s in $scripts) { $null = & $s }; [Console]::Out.WriteLine('PASS ' + $w.Elapsed.TotalMilliseconds.ToString([Globalization.CultureInfo]::InvariantCulture))\n");
    return Number((await this.until('PASS ')).slice('PASS '.length));
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    await once(this.child, 'exit');
  }

  private async until(prefix: string): Promise<string> {
    for (;;) {
      const next = await this.lines.next();
      if (next.done) throw new Error('the direct pwsh exited');
      if (next.value.startsWith(prefix)) return next.value;
    }
  }
}

export const agentSection: BenchSection = {
  name: 'agent core',
  async run() {
    const probesDir = resolveProbesDir();
    const probes = PROBES.filter((probe): probe is PowerShellProbe => probe.kind === 'powershell');
    const statePath = await prepareSimulatedHost('healthy', await mkdtemp(join(tmpdir(), 'rdp-health-bench-')));
    const pwsh = resolveShellExecutable('pwsh');
    const loadSim = `Import-Module ${powershellLiteral(simModulePath())} -Global; Use-SimHost -StatePath ${powershellLiteral(statePath)}`;
    const scripts = probes.map((probe) => probeScriptPath(probesDir, probe.script));

    // 1. The agent: the warm session (the shell is started at launch), after two warm-up cycles.
    const session = new PowerShellSession({ simulate: { statePath, modulePath: simModulePath() } });
    const runner = new CheckRunner({ session, probesDir, probes });
    let started = performance.now();
    await session.start();
    const coldStartMs = performance.now() - started;
    started = performance.now();
    await runner.run();
    const firstCycleMs = performance.now() - started;
    await runner.run();

    // 3 (set up now, so it can take turns with 1 under the same machine load). The same scripts back
    // to back in one plain pwsh, timed inside it by a Stopwatch; the same warm-up and preferences.
    const direct = await DirectShell.start(pwsh, [
      "$ProgressPreference = 'SilentlyContinue'",
      loadSim,
      `$scripts = @(${scripts.map(powershellLiteral).join(', ')})`,
      'foreach ($i in 1..2) { foreach ($s in $scripts) { $null = & $s } }',
    ]);
    const warm: number[] = [];
    const directPasses: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      started = performance.now();
      const snapshot = await runner.run();
      warm.push(performance.now() - started);
      if (snapshot.findings.some((finding) => finding.status === 'unknown')) throw new Error('a probe came back unknown: the benchmark would measure errors');
      directPasses.push(await direct.pass());
    }
    await Promise.all([session.dispose(), direct.close()]);
    const directMs = median(directPasses);

    // 2. A fresh pwsh process for every probe script.
    started = performance.now();
    for (const script of scripts) await run(pwsh, ['-NoProfile', '-NonInteractive', '-Command', `${loadSim}; & ${powershellLiteral(script)}`], { env: ENV });
    const spawnPerProbeMs = performance.now() - started;

    const warmCycleMs = median(warm);
    return {
      rows: [
        { label: 'shell start (pwsh + simulated host)', ms: round(coldStartMs), note: 'once, at agent start' },
        { label: 'first cycle (modules load)', ms: round(firstCycleMs), note: `${probes.length} PowerShell probes` },
        { label: 'warm cycle (agent)', ms: round(warmCycleMs), note: `median of ${ROUNDS}, taking turns with direct` },
        { label: 'fresh pwsh per probe', ms: round(spawnPerProbeMs), note: `${probes.length} processes` },
        { label: 'direct, one pwsh, no agent', ms: round(directMs), note: `median of ${ROUNDS}, Stopwatch inside pwsh` },
      ],
      numbers: {
        warmCycleMs: round(warmCycleMs),
        spawnPerProbeMs: round(spawnPerProbeMs),
        directMs: round(directMs),
        spawnOverWarm: round(spawnPerProbeMs / warmCycleMs, 2),
        warmOverDirect: round(warmCycleMs / directMs, 2),
      },
    };
  },
};
