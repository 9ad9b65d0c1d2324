/**
 * `rdp-health exporter [--listen host:port] [--targets-file <path>] ...`: serves /probe and /metrics
 * until stopped (Ctrl+C, SIGTERM). On 127.0.0.1 by default; any other address needs a targets file,
 * because an open /probe would let anyone who reaches it make this machine connect anywhere.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../probes/common/finding.js';
import { parseTarget } from '../../probes/handshake/target.js';
import { startExporter, targetKey, type ExporterOptions, type RunningExporter } from '../agent/exporter/exporter-server.js';
import { TargetCollector } from '../agent/scan/scan-targets.js';
import type { CliCommand, CliIo } from './cli-io.js';

export const DEFAULT_EXPORTER_PORT = 9775;

export const EXPORTER_USAGE = `Usage: rdp-health exporter [--listen <host:port>] [--targets-file <path>] [--concurrency <n>]
                            [--cache-seconds <n>] [--timeout <seconds>] [--warn-days <n>]

A Prometheus exporter for RDP handshakes (the blackbox-exporter pattern):
  GET /probe?target=host:port   one handshake, answered as Prometheus text
  GET /metrics                  the exporter's own counters
  --listen <host:port>      default 127.0.0.1:${DEFAULT_EXPORTER_PORT}; another address needs --targets-file
  --targets-file <path>     only these targets are probed (one host[:port] a line, # comments); others get 403
  --concurrency <n>         handshakes at once (default 8)
  --cache-seconds <n>       how long an answer is reused for the same target (default 5)
  --timeout <seconds>       per-probe deadline (default 10; Prometheus' scrape timeout, if shorter, wins)
`;

class ExporterUsageError extends Error {}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function numberOption(text: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new ExporterUsageError(`${name} takes a number from ${min} to ${max}.`);
  return value;
}

/** The command's options, checked; the allowlist read from the targets file (bad lines reported). */
export async function exporterOptionsFrom(argv: readonly string[], io: CliIo): Promise<ExporterOptions | 'help'> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        listen: { type: 'string' },
        'targets-file': { type: 'string' },
        concurrency: { type: 'string' },
        'cache-seconds': { type: 'string' },
        timeout: { type: 'string' },
        'warn-days': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ExporterUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const listen = parseTarget(values.listen ?? `127.0.0.1:${DEFAULT_EXPORTER_PORT}`);
  if (!listen.ok) throw new ExporterUsageError(`--listen: ${listen.problem}`);
  let allowlist: Set<string> | null = null;
  const file = values['targets-file'];
  if (file !== undefined) {
    const collector = new TargetCollector();
    try {
      collector.addFile(await readFile(file, 'utf8'), basename(file));
    } catch (error) {
      throw new ExporterUsageError(`the targets file could not be read: ${(error as Error).message}`);
    }
    for (const bad of collector.list.invalid) io.err(`rdp-health exporter: ${bad.source}: ${bad.problem} (not probed)`);
    allowlist = new Set(collector.list.targets.map(targetKey));
  } else if (!isLoopback(listen.host)) {
    throw new ExporterUsageError(`listening on ${listen.host} needs --targets-file: an open /probe lets anyone who reaches it make this machine connect anywhere.`);
  }
  return {
    host: listen.host,
    port: listen.port ?? DEFAULT_EXPORTER_PORT,
    allowlist,
    concurrency: numberOption(values.concurrency, '--concurrency', 8, 1, 256),
    cacheMs: numberOption(values['cache-seconds'], '--cache-seconds', 5, 0, 3600) * 1000,
    deadlineMs: numberOption(values.timeout, '--timeout', 10, 1, 120) * 1000,
    warnDays: numberOption(values['warn-days'], '--warn-days', 30, 1, 365),
  };
}

/** Starts the exporter; resolves with it running (tests), or with the usage error's exit code. */
export async function startExporterCommand(argv: readonly string[], io: CliIo): Promise<RunningExporter | number> {
  let options;
  try {
    options = await exporterOptionsFrom(argv, io);
  } catch (error) {
    io.err(`rdp-health exporter: ${(error as Error).message}\n\n${EXPORTER_USAGE}`);
    return EXIT_CODES.unknown;
  }
  if (options === 'help') {
    io.out(EXPORTER_USAGE);
    return EXIT_CODES.ok;
  }
  try {
    const running = await startExporter(options);
    const scope = options.allowlist ? `${options.allowlist.size} listed targets` : 'any target (loopback only)';
    io.out(`RDP Health exporter on ${running.url} (/probe?target=host:port, /metrics); probes ${scope}.`);
    return running;
  } catch (error) {
    io.err(`rdp-health exporter: could not listen on ${options.host}:${options.port}: ${(error as Error).message}`);
    return EXIT_CODES.unknown;
  }
}

export const exporterCommand: CliCommand = {
  usage: 'exporter [--listen <host:port>] [--targets-file <path>]',
  summary: 'Serves RDP handshake probes to Prometheus (/probe?target=host:port, /metrics).',
  async run(args, io) {
    const started = await startExporterCommand(args, io);
    if (typeof started === 'number') return started;
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await started.close();
    return EXIT_CODES.ok;
  },
};
