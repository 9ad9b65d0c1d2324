/**
 * `rdp-health connect <host[:port]> [--json] [--simulate <scenario|path>]`: can this PC connect
 * to that computer, and if not, why and on which side? Resolves the name, times the link, runs
 * the handshake, reads this PC's client settings and history (Windows, or a simulated host) and
 * prints the verdict with its evidence. Exit codes as `check`: 0 ok, 1 warn, 2 fail, 3 unknown.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES, type Finding } from '../../probes/common/finding.js';
import { createSession } from '../agent/agent-assembly.js';
import { ClientService } from '../agent/client/client-service.js';
import type { ConnectReport } from '../agent/client/connect.js';
import type { FaultSide } from '../agent/client/verdict.js';
import { silentLogger } from '../agent/logging.js';
import type { ScriptSession } from '../agent/powershell-session.js';
import { resolveProbesDir } from '../agent/script-paths.js';
import { prepareSimulatedHost } from '../agent/simulated-host.js';
import type { CliCommand, CliIo } from './cli-io.js';
import { formatFindingTable } from './handshake-command.js';

export const CONNECT_USAGE = 'connect <host[:port]> [--json] [--simulate <scenario|path>]';

const SIDES: Record<FaultSide, string> = { 'this-pc': 'this PC', host: 'the host', network: 'the network between', none: 'nothing', unknown: 'not known' };

export function reportAsFinding(report: ConnectReport & { settingsProblem?: string | null }): Finding {
  const evidence: Record<string, unknown> = { 'At fault': SIDES[report.side], ...report.evidence };
  if (report.alsoFound.length > 0) evidence['Also found'] = report.alsoFound;
  if (report.fixes.length > 0) evidence['Fixes on this PC'] = report.fixes.map((fix) => `${fix.id}: ${fix.title}`);
  if (report.settingsProblem) evidence['This PC: client settings'] = report.settingsProblem;
  return { probeId: 'connect', title: `Connect to ${report.target}`, status: report.status, summary: report.summary, evidence, fixes: report.fixes, checkedAt: report.checkedAt };
}

type Parsed = { ok: true; target: string; json: boolean; simulate: string | undefined } | { ok: false; problem: string } | { ok: 'help' };

export function parseConnectArgs(argv: readonly string[]): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { json: { type: 'boolean', default: false }, simulate: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } }, allowPositionals: true, strict: true });
    if (values.help) return { ok: 'help' };
    if (positionals.length !== 1) return { ok: false, problem: positionals.length === 0 ? 'name the computer to connect to (host or host:port)' : `one computer at a time, got: ${positionals.join(' ')}` };
    return { ok: true, target: positionals[0]!, json: values.json, simulate: values.simulate };
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

export interface ConnectCommandOptions {
  /** Tests: the service to use instead of one built from --simulate / the platform. */
  service?: ClientService;
}

export async function runConnectCommand(argv: readonly string[], io: CliIo, options: ConnectCommandOptions = {}): Promise<number> {
  const args = parseConnectArgs(argv);
  if (args.ok === 'help') {
    io.out(`Usage: rdp-health ${CONNECT_USAGE}\n`);
    return EXIT_CODES.ok;
  }
  if (!args.ok) {
    io.err(`rdp-health connect: ${args.problem}\nUsage: rdp-health ${CONNECT_USAGE}`);
    return EXIT_CODES.unknown;
  }
  const probesDir = resolveProbesDir();
  const dataDir = await mkdtemp(join(tmpdir(), 'rdp-health-connect-'));
  let session: ScriptSession | null = null;
  try {
    let service = options.service;
    if (!service) {
      // This PC's settings: Windows' own, a simulated host's, or none (then nothing is blamed on them).
      const simulatedHostPath = args.simulate !== undefined ? await prepareSimulatedHost(args.simulate, join(dataDir, 'sim')) : undefined;
      if (simulatedHostPath || process.platform === 'win32') session = createSession({ dataDir, probesDir, simulatedHostPath, logger: silentLogger });
      service = new ClientService({ session, probesDir });
    }
    const report = await service.check(args.target);
    io.out(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatFindingTable(reportAsFinding(report)));
    return EXIT_CODES[report.status];
  } finally {
    await session?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const connectCommand: CliCommand = {
  usage: CONNECT_USAGE,
  summary: 'Checks whether this PC can connect to a computer by Remote Desktop, and if not, why and on which side.',
  run: (args, io) => runConnectCommand(args, io),
};
