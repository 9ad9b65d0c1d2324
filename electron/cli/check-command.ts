/**
 * `rdp-health check [--json | --nagios] [--simulate <scenario|path>] [--probe <id>]...`: one cycle
 * through the agent, printed as a table (status, probe, summary), the HealthSnapshot JSON or one
 * monitoring-plugin line; the exit code is the overall status (EXIT_CODES). Options are parsed in
 * check-options.ts. Runs in a throw-away data folder: a one-off check neither notifies nor adds to
 * the tray app's history.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT_CODES, type HealthSnapshot } from '../../probes/common/finding.js';
import { checksPassedText, problemsFirst } from '../../probes/common/problems-first.js';
import { PROBES } from '../../probes/index.js';
import { Agent } from '../agent/agent.js';
import { certificateExpiries } from '../agent/certificate-expiry.js';
import { resolveProbesDir } from '../agent/script-paths.js';
import { shippedScenarios } from '../agent/simulated-host.js';
import { CHECK_USAGE, CheckUsageError, parseCheckOptions, type CheckOptions } from './check-options.js';
import { verboseLogger, type CliCommand } from './cli-io.js';
import { formatNagios, nagiosExitCode } from './nagios.js';
import { cliDataDir, simulatedWorkingCopy } from './sim-working-copy.js';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/**
 * Problems first, worst first, one row each; the checks that passed fold into one line while there
 * are problems (every row is shown when all passed). The first line names the worst problem.
 */
export function formatTable(snapshot: HealthSnapshot): string {
  const { problems, passed } = problemsFirst(snapshot.findings);
  const shown = problems.length === 0 ? passed : problems;
  const rows = shown.map((finding) => [finding.status.toUpperCase(), finding.probeId, finding.summary]);
  const header = ['STATUS', 'PROBE', 'SUMMARY'];
  const widths = [0, 1].map((column) => Math.max(header[column]!.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `${pad(row[0]!, widths[0]!)}  ${pad(row[1]!, widths[1]!)}  ${row[2]}`;
  const seconds = (snapshot.durationMs / 1000).toFixed(1);
  const worst = problems[0];
  const head = `${snapshot.host}: ${snapshot.overall.toUpperCase()} (${snapshot.findings.length} checks in ${seconds} s)${worst ? ` - ${worst.probeId}: ${worst.summary}` : ''}`;
  const folded = problems.length > 0 && passed.length > 0 ? [`${checksPassedText(passed.length)}: ${passed.map((f) => f.probeId).join(', ')}.`] : [];
  return [head, '', line(header), ...rows.map(line), ...folded].join('\n');
}

export const checkCommand: CliCommand = {
  usage: CHECK_USAGE,
  summary: 'Runs every check once and prints the result; the exit code is the overall status.',
  async run(args, io) {
    let options: CheckOptions;
    try {
      options = parseCheckOptions(args, PROBES.map((probe) => probe.id));
    } catch (error) {
      if (!(error instanceof CheckUsageError)) throw error;
      io.err(`rdp-health check: ${error.message}\nUsage: rdp-health ${CHECK_USAGE}`);
      return EXIT_CODES.unknown;
    }
    const probesDir = resolveProbesDir();
    if (options.simulate !== undefined && options.probeIds?.includes('handshake')) {
      io.err('rdp-health check: the handshake check opens real network connections, so it does not run on a simulated host (nothing listens there). Leave out --probe handshake, or run `rdp-health handshake <host>` against a real listener.');
      return EXIT_CODES.unknown;
    }
    if (options.simulate === undefined && process.platform !== 'win32') {
      const scenarios = shippedScenarios(probesDir);
      io.err(
        [
          `rdp-health checks a Windows Remote Desktop host, and this computer runs ${process.platform}.`,
          'To see the checks work here, run them against a simulated Windows host:',
          '  rdp-health check --simulate healthy',
          scenarios.length > 0 ? `Shipped scenarios: ${scenarios.join(', ')} (or give a path to a scenario file).` : '',
        ]
          .filter((line) => line !== '')
          .join('\n'),
      );
      return EXIT_CODES.unknown;
    }
    // The simulated host is the working copy fix and undo change (one per scenario), so a check sees what they did.
    const simulatedHostPath =
      options.simulate === undefined
        ? undefined
        : await simulatedWorkingCopy(options.simulate, io, { dataDir: options.dataDir !== undefined ? resolve(options.dataDir) : cliDataDir(), probesDir, reset: options.reset, verbose: options.verbose });
    const dataDir = await mkdtemp(join(tmpdir(), 'rdp-health-cli-'));
    let agent: Agent | undefined;
    try {
      agent = await Agent.create({
        dataDir,
        probesDir,
        logger: verboseLogger(io, options.verbose),
        // A one-off check: no Event Log entries (each run would repeat them) and no part in the
        // host's shared snapshot (monitoring wants this check, not another session's).
        eventLog: false,
        sharedDir: null,
        ...(simulatedHostPath !== undefined ? { simulatedHostPath } : {}),
        ...(options.timeoutSeconds !== undefined ? { probeTimeoutMs: options.timeoutSeconds * 1000 } : {}),
      });
      const snapshot = options.probeIds ? await agent.recheck(options.probeIds) : await agent.checkNow();
      if (options.format === 'nagios') {
        const runner = agent.runner;
        io.out(formatNagios(snapshot, { now: new Date(), warnDays: agent.getSettings().warnDays, certificates: certificateExpiries((id) => runner.dataOf(id)) }));
        return nagiosExitCode(snapshot);
      }
      io.out(options.format === 'json' ? JSON.stringify(snapshot, null, 2) : formatTable(snapshot));
      return EXIT_CODES[snapshot.overall];
    } finally {
      await agent?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
