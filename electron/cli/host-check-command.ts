/**
 * `rdp-health host-check [--simulate <scenario|path>] [--timeout <seconds>] [--verbose]` — the host
 * checker (`"RDP Health.exe" host-check`, run by the Task Scheduler task `\RDP Health\Host Checker`
 * as SYSTEM): one full check, published to %ProgramData%\RDP Health\host (host-checker.ts). A CLI
 * path: no window, no tray, no single-instance lock, nothing under the user profile, so it runs the
 * same in session 0. Exit code: the overall status when published, 0 when skipped (checked less than
 * a minute ago, or another check is running), 3 when refused (not SYSTEM or an elevated admin, no
 * installed folder) or on a usage error.
 */
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../probes/common/finding.js';
import { createSession, defaultProbes } from '../agent/agent-assembly.js';
import { runHostCheck } from '../agent/host-checker.js';
import { resolveProbesDir } from '../agent/script-paths.js';
import { simulatedProgramDataDir } from '../agent/simulated-host.js';
import { verboseLogger, type CliCommand } from './cli-io.js';
import { cliDataDir, simulatedWorkingCopy } from './sim-working-copy.js';

export const HOST_CHECK_USAGE = 'host-check [--simulate <scenario|path>] [--timeout <seconds>] [--verbose]';

export const hostCheckCommand: CliCommand = {
  usage: HOST_CHECK_USAGE,
  summary: 'The host checker (Task Scheduler runs it as SYSTEM): checks everything and publishes the result for every user.',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { simulate: { type: 'string' }, timeout: { type: 'string' }, verbose: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    });
    const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
      io.err(`rdp-health host-check: --timeout takes a number of seconds.\nUsage: rdp-health ${HOST_CHECK_USAGE}`);
      return EXIT_CODES.unknown;
    }
    if (values.simulate === undefined && process.platform !== 'win32') {
      io.err(`rdp-health host-check runs on a Windows host; here, run it on a simulated one: rdp-health host-check --simulate healthy`);
      return EXIT_CODES.unknown;
    }
    const probesDir = resolveProbesDir();
    const logger = verboseLogger(io, values.verbose);
    const statePath = values.simulate === undefined ? undefined : await simulatedWorkingCopy(values.simulate, io, { dataDir: cliDataDir(), reset: false, verbose: values.verbose });
    // No data folder: the checker keeps nothing under a user profile (SYSTEM's or anyone's).
    const session = createSession({ dataDir: '', probesDir, simulatedHostPath: statePath, logger, identity: 'system' });
    try {
      const result = await runHostCheck({
        session,
        probesDir,
        probes: defaultProbes(statePath !== undefined),
        logger,
        ...(statePath ? { simulated: { programDataDir: simulatedProgramDataDir(statePath), identity: 'system' as const } } : {}),
        ...(timeoutSeconds !== undefined ? { probeTimeoutMs: timeoutSeconds * 1000 } : {}),
      });
      if (result.outcome === 'refused') {
        io.err(`rdp-health host-check: ${result.reason}`);
        return EXIT_CODES.unknown;
      }
      if (result.outcome === 'skipped') {
        io.out(`Not checked: ${result.reason}`);
        return EXIT_CODES.ok;
      }
      const { snapshot } = result.record;
      io.out(`Published to ${result.folder}: ${snapshot.overall.toUpperCase()} (${snapshot.findings.length} checks, as ${result.record.identity}).`);
      for (const problem of result.problems) io.err(`rdp-health host-check: ${problem}`);
      return EXIT_CODES[snapshot.overall];
    } finally {
      await session.dispose();
    }
  },
};
