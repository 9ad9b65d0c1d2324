/**
 * The options of `rdp-health check`, parsed and validated in one place so the command itself only
 * runs the agent. Monitoring systems call it: a mistake in the arguments must say what is wrong
 * and end with exit code 3 (UNKNOWN), never run a different check than the one asked for.
 */
import { parseArgs } from 'node:util';

export type OutputFormat = 'table' | 'json' | 'nagios';

export interface CheckOptions {
  format: OutputFormat;
  /** Only these checks (catalog ids, in the order given, without repeats); undefined = all. */
  probeIds?: string[];
  simulate?: string;
  /** Start the simulated host's working copy again from the scenario file. */
  reset: boolean;
  /** The CLI data folder that keeps the working copy (default cliDataDir()). */
  dataDir?: string;
  timeoutSeconds?: number;
  verbose: boolean;
  /** Print the host checker's latest published snapshot (verified) instead of checking. */
  hostSnapshot: boolean;
}

export class CheckUsageError extends Error {
  override name = 'CheckUsageError';
}

export const CHECK_USAGE = 'check [--json | --nagios] [--probe <id>]... [--simulate <scenario|path> [--reset]] [--timeout <seconds>] [--verbose] [--host-snapshot]';

/** `--probe nla --probe tls` or `--probe nla,tls`: Nagios and Intune configurations like one argument. */
function probeIdsFrom(values: readonly string[], known: readonly string[]): string[] {
  const ids = [...new Set(values.flatMap((value) => value.split(',')).map((id) => id.trim()))];
  if (ids.some((id) => id === '')) throw new CheckUsageError('--probe needs a check id.');
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new CheckUsageError(`Unknown check ${unknown.map((id) => `"${id}"`).join(', ')}. Known checks: ${known.join(', ')}.`);
  return ids;
}

/** Bounds of --timeout: below 1 s no check can answer; above a day setTimeout would overflow (2^31 ms). */
export const TIMEOUT_BOUNDS = { min: 1, max: 86_400 } as const;

/** `--timeout <seconds>` (check and handshake): a number within TIMEOUT_BOUNDS, else a usage error. */
export function parseTimeoutSeconds(text: string): number {
  const seconds = text.trim() === '' ? Number.NaN : Number(text);
  if (!(seconds >= TIMEOUT_BOUNDS.min && seconds <= TIMEOUT_BOUNDS.max)) {
    throw new CheckUsageError(`--timeout takes a number of seconds from ${TIMEOUT_BOUNDS.min} to ${TIMEOUT_BOUNDS.max} (got "${text}").`);
  }
  return seconds;
}

export function parseCheckOptions(args: readonly string[], knownProbeIds: readonly string[]): CheckOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        json: { type: 'boolean', default: false },
        nagios: { type: 'boolean', default: false },
        simulate: { type: 'string' },
        reset: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        probe: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        'host-snapshot': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CheckUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.reset && values.simulate === undefined) throw new CheckUsageError('--reset starts a simulated host again from its scenario: give --simulate too.');
  if (values.json && values.nagios) throw new CheckUsageError('--json and --nagios are two output formats: choose one.');
  if (values['host-snapshot'] && (values.probe !== undefined || values.timeout !== undefined)) throw new CheckUsageError('--host-snapshot prints what the host checker published: --probe and --timeout do not apply.');
  // An empty scenario would silently mean "no --simulate": the real checks of this machine.
  if (values.simulate !== undefined && values.simulate.trim() === '') throw new CheckUsageError('--simulate needs a scenario name or a path to a scenario file.');
  const timeoutSeconds = values.timeout === undefined ? undefined : parseTimeoutSeconds(values.timeout);
  return {
    format: values.json ? 'json' : values.nagios ? 'nagios' : 'table',
    verbose: values.verbose,
    hostSnapshot: values['host-snapshot'],
    reset: values.reset,
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
    ...(values.probe !== undefined ? { probeIds: probeIdsFrom(values.probe, knownProbeIds) } : {}),
    ...(values.simulate !== undefined ? { simulate: values.simulate } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}
