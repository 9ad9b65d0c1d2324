/**
 * `rdp-health scan [host[:port]]... [--file <path>]... [--history] [--json | --csv]`: the handshake
 * of many RDP hosts from outside, as a table worst first. Exit code: the worst status, as `check`
 * (a line or history entry that could not be scanned counts as unknown). Usage errors: 3.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES, STATUSES, worstStatus, type Status } from '../../probes/common/finding.js';
import { readHistoryTargets } from '../agent/scan/history-targets.js';
import { scanCsv, scanTable, type ScanDocument } from '../agent/scan/scan-output.js';
import { DEFAULT_CONCURRENCY, DEFAULT_DEADLINE_MS, MAX_CONCURRENCY, runScan, type ScanOptions, type ScanProgress } from '../agent/scan/scan-runner.js';
import { TargetCollector } from '../agent/scan/scan-targets.js';
import type { CliCommand, CliIo } from './cli-io.js';

export const SCAN_USAGE = `Usage: rdp-health scan [host[:port]]... [--file <path>]... [--history [--simulate <scenario>]]
                        [--concurrency <n>] [--timeout <seconds>] [--warn-days <n>] [--json | --csv]

Connects to each listed Remote Desktop host the way a client does (X.224, TLS) and reports what it
accepts and the certificate it serves. Only the hosts you list are scanned, never a range.
  host[:port]        a target (default port 3389; IPv6 as [address]:port)
  --file <path>      one host[:port] a line; # starts a comment; bad lines are reported by number
  --history          the computers in your Remote Desktop history (mstsc, .rdp files)
  --concurrency <n>  targets at once (default ${DEFAULT_CONCURRENCY}, at most ${MAX_CONCURRENCY})
  --timeout <s>      per-target deadline in seconds (default ${DEFAULT_DEADLINE_MS / 1000})
  --warn-days <n>    certificate days left that count as a warning (default 30)
  --json | --csv     one JSON document, or CSV
Exit codes: the worst target: 0 ok, 1 warn, 2 fail, 3 unknown (and usage errors).
`;

export interface ScanCommandOptions {
  /** Raw writes to a terminal for the progress line; absent (not a terminal): no progress shown. */
  writeProgress?: (text: string) => void;
  readTextFile?: (path: string) => Promise<string>;
  readHistory?: typeof readHistoryTargets;
  probe?: ScanOptions['probe'];
}

class ScanUsageError extends Error {}

function positiveInteger(text: string | undefined, name: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new ScanUsageError(`${name} takes a whole number from 1 to ${max}.`);
  return value;
}

function parseScanArgs(argv: readonly string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        file: { type: 'string', multiple: true },
        history: { type: 'boolean', default: false },
        simulate: { type: 'string' },
        concurrency: { type: 'string' },
        timeout: { type: 'string' },
        'warn-days': { type: 'string' },
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.json && values.csv) throw new ScanUsageError('--json and --csv are two output formats: choose one.');
    const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0 && timeout <= 300)) throw new ScanUsageError('--timeout takes seconds (up to 300).');
    return {
      ...values,
      positionals,
      concurrency: positiveInteger(values.concurrency, '--concurrency', MAX_CONCURRENCY) ?? DEFAULT_CONCURRENCY,
      deadlineMs: timeout === undefined ? DEFAULT_DEADLINE_MS : Math.round(timeout * 1000),
      warnDays: positiveInteger(values['warn-days'], '--warn-days', 365) ?? 30,
    };
  } catch (error) {
    throw error instanceof ScanUsageError ? error : new ScanUsageError(error instanceof Error ? error.message : String(error));
  }
}

/** "[ 37/256]  12.3/s  2 failed": redrawn in place, at most ten times a second. */
function progressLine(write: (text: string) => void): { update: (progress: ScanProgress) => void; clear: () => void } {
  let last = 0;
  let shown = false;
  return {
    update(progress) {
      const now = performance.now();
      if (now - last < 100 && progress.done < progress.total) return;
      last = now;
      shown = true;
      const rate = progress.done / Math.max(progress.elapsedMs / 1000, 0.001);
      const width = String(progress.total).length;
      write(`\r\x1b[2K[${String(progress.done).padStart(width)}/${progress.total}]  ${rate.toFixed(1)}/s  ${progress.failed} failed`);
    },
    clear() {
      if (shown) write('\r\x1b[2K');
    },
  };
}

export async function runScanCommand(argv: readonly string[], io: CliIo, options: ScanCommandOptions = {}): Promise<number> {
  let args;
  try {
    args = parseScanArgs(argv);
  } catch (error) {
    io.err(`rdp-health scan: ${(error as Error).message}\n\n${SCAN_USAGE}`);
    return EXIT_CODES.unknown;
  }
  if (args.help) {
    io.out(SCAN_USAGE);
    return EXIT_CODES.ok;
  }
  const collector = new TargetCollector();
  args.positionals.forEach((text, index) => collector.add(text, `argument ${index + 1}`));
  for (const file of args.file ?? []) {
    try {
      collector.addFile(await (options.readTextFile ?? ((path) => readFile(path, 'utf8')))(file), basename(file));
    } catch (error) {
      collector.list.invalid.push({ source: file, text: file, problem: `the targets file could not be read: ${(error as Error).message}` });
    }
  }
  if (args.history) {
    const history = await (options.readHistory ?? readHistoryTargets)(args.simulate !== undefined ? { simulate: args.simulate } : {});
    if (history.ok) {
      for (const target of history.targets) collector.add(target, 'history');
      for (const unusable of history.unusable) collector.list.invalid.push({ source: 'history', text: unusable, problem: unusable });
    } else collector.list.invalid.push({ source: 'history', text: '--history', problem: history.problem });
  }
  const { targets, invalid } = collector.list;
  for (const bad of invalid) io.err(`rdp-health scan: ${bad.source}: ${bad.problem}`);
  if (targets.length === 0) {
    if (invalid.length === 0) io.err(`rdp-health scan: no targets given.\n\n${SCAN_USAGE}`);
    return EXIT_CODES.unknown;
  }
  const progress = options.writeProgress ? progressLine(options.writeProgress) : undefined;
  const result = await runScan(targets, {
    concurrency: args.concurrency,
    deadlineMs: args.deadlineMs,
    warnDays: args.warnDays,
    ...(progress ? { onProgress: progress.update } : {}),
    ...(options.probe ? { probe: options.probe } : {}),
  });
  progress?.clear();
  const statuses: Status[] = [result.worst, ...(invalid.length > 0 ? (['unknown'] as const) : [])];
  const counts = Object.fromEntries(STATUSES.map((status) => [status, result.reports.filter((report) => report.status === status).length])) as Record<Status, number>;
  const document: ScanDocument = {
    scannedAt: new Date().toISOString(),
    durationMs: Math.round(result.durationMs),
    concurrency: args.concurrency,
    deadlineSeconds: args.deadlineMs / 1000,
    worst: worstStatus(statuses),
    counts,
    invalidTargets: invalid,
    targets: result.reports,
  };
  io.out(args.json ? `${JSON.stringify(document, null, 2)}\n` : args.csv ? scanCsv(document) : scanTable(document));
  return EXIT_CODES[document.worst];
}

export const scanCommand: CliCommand = {
  usage: 'scan [host[:port]]... [--file <path>] [--history] [--json | --csv]',
  summary: 'Checks the handshake and certificate of many RDP hosts from here, worst first.',
  run: (args, io) =>
    runScanCommand(args, io, process.stderr.isTTY === true ? { writeProgress: (text) => void process.stderr.write(text) } : {}),
};
