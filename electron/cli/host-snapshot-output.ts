/**
 * `rdp-health check --host-snapshot`: the host checker's latest published snapshot, through the
 * same verified read the tray does (host-snapshot.ts), printed like a check (table, --json or
 * --nagios) with when and as whom it was checked. Exit code: its overall status; 3 when it cannot
 * be trusted or is stale, with the reason.
 */
import { EXIT_CODES } from '../../probes/common/finding.js';
import { applyAdminPolicy, readAdminPolicy } from '../agent/admin-policy.js';
import { createSession } from '../agent/agent-assembly.js';
import { hostSnapshotProblem, readHostSnapshot } from '../agent/host-snapshot.js';
import { defaultSettings } from '../agent/settings.js';
import type { CheckOptions } from './check-options.js';
import { verboseLogger, type CliIo } from './cli-io.js';
import { formatTable } from './check-command.js';
import { cliDataDir, simulatedWorkingCopy } from './sim-working-copy.js';
import { formatNagios, nagiosExitCode } from './nagios.js';

export async function printHostSnapshot(options: CheckOptions, probesDir: string, io: CliIo): Promise<number> {
  if (options.simulate === undefined && process.platform !== 'win32') {
    io.err('The host checker publishes on a Windows host; here, on a simulated one: rdp-health host-check --simulate healthy, then rdp-health check --host-snapshot --simulate healthy');
    return EXIT_CODES.unknown;
  }
  const logger = verboseLogger(io, options.verbose);
  const statePath = options.simulate === undefined ? undefined : await simulatedWorkingCopy(options.simulate, io, { dataDir: cliDataDir(), reset: options.reset, verbose: options.verbose });
  const session = createSession({ dataDir: '', probesDir, simulatedHostPath: statePath, logger });
  try {
    const { policy } = await readAdminPolicy(session, probesDir, logger);
    const settings = applyAdminPolicy(defaultSettings(), policy).settings;
    const read = await readHostSnapshot({ session, probesDir, now: () => new Date(), maxAgeMs: 2 * settings.checkIntervalMinutes * 60_000, logger });
    if (read.state === 'unusable') {
      io.err(hostSnapshotProblem(read).replace(' This computer was checked with your rights instead.', ''));
      return EXIT_CODES.unknown;
    }
    const { record } = read;
    if (options.format === 'nagios') {
      const certificates = (record.facts?.certificates ?? []).map((c) => ({ probeId: c.probeId, thumbprint: c.thumbprint, notAfter: c.notAfter, ...(c.subject ? { subject: c.subject } : {}) }));
      io.out(formatNagios(record.snapshot, { now: new Date(), warnDays: settings.warnDays, certificates }));
      return nagiosExitCode(record.snapshot);
    }
    if (options.format === 'json') io.out(JSON.stringify(record, null, 2));
    else io.out(`${formatTable(record.snapshot)}\n\nChecked by the host checker at ${record.checkedAt}, as ${record.identity} (version ${record.version}).`);
    return EXIT_CODES[record.snapshot.overall];
  } finally {
    await session.dispose();
  }
}
