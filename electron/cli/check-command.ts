/**
 * `rdp-health check [--json | --nagios] [--simulate <scenario|path>] [--probe <id>]...`: one cycle
 * through the agent, printed as a table (status, probe, summary), the HealthSnapshot JSON or one
 * monitoring-plugin line; the exit code is the overall status (EXIT_CODES). Options are parsed in
 * check-options.ts. Runs in a throw-away data folder: a one-off check neither notifies nor adds to
 * the tray app's history. It checks with the rights it runs as: full rights as SYSTEM (Intune,
 * NRPE) or elevated; as a standard user the checks Windows refuses say "needs the host checker",
 * and do not make the exit code UNKNOWN. `--host-snapshot` prints the host checker's latest
 * published snapshot instead (host-snapshot-output.ts). With --nagios, anything that stops the
 * check still prints one `RDP HEALTH UNKNOWN - <reason>` line (Nagios shows "(No output returned
 * from plugin)" otherwise). SIGTERM/SIGINT/SIGHUP (a supervisor's timeout) kill the shell and
 * remove the folder, then exit 3; the folder of a run killed outright is removed by the next run
 * (cli-temp-dir.ts).
 */
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT_CODES, type Finding, type HealthSnapshot } from '../../probes/common/finding.js';
import { checksPassedText, problemsFirst } from '../../probes/common/problems-first.js';
import { PROBES } from '../../probes/index.js';
import { Agent } from '../agent/agent.js';
import { certificateExpiries } from '../agent/certificate-expiry.js';
import { resolveProbesDir } from '../agent/script-paths.js';
import { shippedScenarios } from '../agent/simulated-host.js';
import { makeCliDir, removeStaleCliDirs } from './cli-temp-dir.js';
import { CHECK_USAGE, CheckUsageError, parseCheckOptions, type CheckOptions } from './check-options.js';
import { verboseLogger, type CliCommand } from './cli-io.js';
import { printHostSnapshot } from './host-snapshot-output.js';
import { formatNagios, formatNagiosUnknown, nagiosExitCode } from './nagios.js';
import { cliDataDir, simulatedWorkingCopy } from './sim-working-copy.js';

const ENDING_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** While a check runs, a signal ends it cleanly: `cleanUp` runs synchronously, then the process exits 3. */
function onEndingSignal(cleanUp: (signal: string) => void): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    try {
      cleanUp(signal);
    } finally {
      process.exit(EXIT_CODES.unknown);
    }
  };
  for (const signal of ENDING_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of ENDING_SIGNALS) process.off(signal, handler);
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The status column: a check that needs the host checker says so, rather than UNKNOWN. */
function statusWord(finding: Finding): string {
  return finding.needsHostChecker ? 'NEEDS HOST CHECKER' : finding.status.toUpperCase();
}

/**
 * Problems first, worst first, one row each; the checks that passed fold into one line while there
 * are problems (every row is shown when all passed). The first line names the worst problem.
 */
export function formatTable(snapshot: HealthSnapshot): string {
  const { problems, passed } = problemsFirst(snapshot.findings);
  const shown = problems.length === 0 ? passed : problems;
  const rows = shown.map((finding) => [statusWord(finding), finding.probeId, finding.summary]);
  const header = ['STATUS', 'PROBE', 'SUMMARY'];
  const widths = [0, 1].map((column) => Math.max(header[column]!.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `${pad(row[0]!, widths[0]!)}  ${pad(row[1]!, widths[1]!)}  ${row[2]}`;
  const seconds = (snapshot.durationMs / 1000).toFixed(1);
  const worst = problems[0];
  const head = `${snapshot.host}: ${snapshot.overall.toUpperCase()} (${snapshot.findings.length} checks in ${seconds} s)${worst ? ` - ${worst.probeId}: ${worst.summary}` : ''}`;
  const folded = problems.length > 0 && passed.length > 0 ? [`${checksPassedText(passed.length)}: ${passed.map((f) => f.probeId).join(', ')}.`] : [];
  return [head, '', line(header), ...rows.map(line), ...folded].join('\n');
}

/** Which checks need the host checker, and where its result is; undefined when none does. */
export function needsHostCheckerNote(snapshot: HealthSnapshot): string | undefined {
  const ids = snapshot.findings.filter((finding) => finding.needsHostChecker).map((finding) => finding.probeId);
  if (ids.length === 0) return undefined;
  return [
    `Needs the host checker: ${ids.join(', ')} (Windows refused these checks to your account; they do not count for the result).`,
    'The host checker checks them as SYSTEM: `rdp-health check --host-snapshot` prints its latest result.',
  ].join('\n');
}

export const checkCommand: CliCommand = {
  usage: CHECK_USAGE,
  summary: 'Runs every check once and prints the result; the exit code is the overall status.',
  async run(args, io) {
    // Known before parsing, so a usage error still answers in the plugin format.
    const nagios = args.includes('--nagios');
    const cannotCheck = (reason: string): number => {
      if (nagios) io.out(formatNagiosUnknown(reason));
      return EXIT_CODES.unknown;
    };
    let options: CheckOptions;
    try {
      options = parseCheckOptions(args, PROBES.map((probe) => probe.id));
    } catch (error) {
      if (!(error instanceof CheckUsageError)) throw error;
      io.err(`rdp-health check: ${error.message}\nUsage: rdp-health ${CHECK_USAGE}`);
      return cannotCheck(`wrong arguments: ${error.message}`);
    }
    const probesDir = resolveProbesDir();
    if (options.hostSnapshot) return printHostSnapshot(options, probesDir, io);
    if (options.simulate !== undefined && options.probeIds?.includes('handshake')) {
      io.err('rdp-health check: the handshake check opens real network connections, so it does not run on a simulated host (nothing listens there). Leave out --probe handshake, or run `rdp-health handshake <host>` against a real listener.');
      return cannotCheck('the handshake check does not run on a simulated host');
    }
    if (options.simulate === undefined && process.platform !== 'win32') {
      const scenarios = shippedScenarios();
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
      return cannotCheck(`this computer runs ${process.platform}, not Windows; use --simulate <scenario>`);
    }
    // The simulated host is the working copy fix and undo change (one per scenario), so a check sees what they did.
    let simulatedHostPath: string | undefined;
    try {
      simulatedHostPath =
        options.simulate === undefined
          ? undefined
          : await simulatedWorkingCopy(options.simulate, io, { dataDir: options.dataDir !== undefined ? resolve(options.dataDir) : cliDataDir(), reset: options.reset, verbose: options.verbose });
    } catch (error) {
      // A scenario that cannot be read (missing, empty, not JSON) still answers in the plugin format.
      const message = error instanceof Error ? error.message : String(error);
      io.err(`rdp-health check: ${message}`);
      return cannotCheck(message);
    }
    await removeStaleCliDirs();
    const dataDir = await makeCliDir();
    let agent: Agent | undefined;
    const stopSignals = onEndingSignal((signal) => {
      agent?.session.terminate?.();
      rmSync(dataDir, { recursive: true, force: true });
      io.err(`rdp-health check: stopped by ${signal}.`);
      if (nagios) io.out(formatNagiosUnknown(`stopped by ${signal} before the check finished`));
    });
    try {
      agent = await Agent.create({
        dataDir,
        probesDir,
        logger: verboseLogger(io, options.verbose),
        // A one-off check: no Event Log entries (each run would repeat them), and this check, not
        // the host checker's last one (that is --host-snapshot).
        eventLog: false,
        hostSnapshot: false,
        ...(simulatedHostPath !== undefined ? { simulatedHostPath } : {}),
        ...(options.timeoutSeconds !== undefined ? { probeTimeoutMs: options.timeoutSeconds * 1000 } : {}),
      });
      const snapshot = options.probeIds ? await agent.recheck(options.probeIds) : await agent.checkNow();
      const note = needsHostCheckerNote(snapshot);
      if (options.format === 'nagios') {
        const runner = agent.runner;
        if (note) io.err(note);
        io.out(formatNagios(snapshot, { now: new Date(), warnDays: agent.getSettings().warnDays, certificates: certificateExpiries((id) => runner.dataOf(id)) }));
        return nagiosExitCode(snapshot);
      }
      io.out(options.format === 'json' ? JSON.stringify(snapshot, null, 2) : formatTable(snapshot));
      if (note) (options.format === 'json' ? io.err : io.out)(options.format === 'json' ? note : `\n${note}`);
      return EXIT_CODES[snapshot.overall];
    } catch (error) {
      if (!nagios) throw error;
      io.err(`rdp-health check: ${error instanceof Error ? error.message : String(error)}`);
      return cannotCheck(error instanceof Error ? error.message : String(error));
    } finally {
      await agent?.stop();
      await rm(dataDir, { recursive: true, force: true });
      stopSignals();
    }
  },
};
