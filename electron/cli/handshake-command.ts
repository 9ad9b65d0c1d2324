/**
 * `rdp-health handshake [host[:port]] [--json]`: speak the first steps of RDP to a listener and
 * print what a client would see. Exit codes as `check`: 0 ok, 1 warn, 2 fail, 3 unknown
 * (a usage error is 3 too, as monitoring plugins do). electron/cli.ts dispatches here.
 */
import { EXIT_CODES, type Finding } from '../../probes/common/finding.js';
import { findingFromNodeProbe, unknownFinding } from '../../probes/common/probe.js';
import type { StepTimeouts } from '../../probes/handshake/attempt.js';
import { createHandshakeProbe } from '../../probes/handshake/handshake.js';
import { DEFAULT_HOST, DEFAULT_RDP_PORT, parseTarget } from '../../probes/handshake/target.js';
import { CheckUsageError, parseTimeoutSeconds } from './check-options.js';
import type { CliCommand, CliIo } from './cli-io.js';

export interface HandshakeCommandOptions {
  /** Days before certificate expiry that count as warn (the agent's setting); default 30. */
  warnDays?: number;
  /** Port when none is named (e.g. the listener's configured port); default 3389. */
  defaultPort?: number;
  timeouts?: Partial<StepTimeouts>;
  signal?: AbortSignal;
}

export const HANDSHAKE_USAGE = `Usage: rdp-health handshake [host[:port]] [--json] [--timeout <seconds>]

Connects to a Remote Desktop listener the way a client does (X.224 negotiation, then TLS),
reads the certificate it serves and the TLS versions it accepts, and closes without logging in.
  host[:port]  default ${DEFAULT_HOST}:${DEFAULT_RDP_PORT}; IPv6 as [address]:port
  --json       print the finding as JSON
  --timeout    bound the whole handshake (default: 5 s a step, about 105 s at worst)
Exit codes: 0 ok, 1 warn, 2 fail, 3 unknown.
`;

type ParsedArgs =
  | { ok: true; host: string | undefined; port: number | undefined; json: boolean; help: boolean; timeoutSeconds?: number }
  | { ok: false; problem: string };

export function parseHandshakeArgs(argv: readonly string[]): ParsedArgs {
  let json = false;
  let help = false;
  let timeoutSeconds: number | undefined;
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      const value = arg === '--timeout' ? argv[(index += 1)] : arg.slice('--timeout='.length);
      try {
        timeoutSeconds = parseTimeoutSeconds(value ?? '');
      } catch (error) {
        return { ok: false, problem: error instanceof CheckUsageError ? error.message : String(error) };
      }
    }
    else if (arg.startsWith('-')) return { ok: false, problem: `unknown option ${arg}` };
    else positional.push(arg);
  }
  if (positional.length > 1) return { ok: false, problem: `one host at most, got: ${positional.join(' ')}` };
  const timeout = timeoutSeconds !== undefined ? { timeoutSeconds } : {};
  if (positional.length === 0) return { ok: true, host: undefined, port: undefined, json, help, ...timeout };
  const target = parseTarget(positional[0] ?? '');
  if (!target.ok) return { ok: false, problem: target.problem };
  return { ok: true, host: target.host, port: target.port ?? undefined, json, help, ...timeout };
}

function formatValue(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) return value.map((item) => `${indent}- ${String(item)}`);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => formatEntry(key, inner, indent));
  }
  return [`${indent}${value === null ? '(none)' : String(value)}`];
}

function formatEntry(key: string, value: unknown, indent: string): string[] {
  if ((value !== null && typeof value === 'object') || Array.isArray(value)) {
    return [`${indent}${key}:`, ...formatValue(value, `${indent}    `)];
  }
  return [`${indent}${key}: ${value === null ? '(none)' : String(value)}`];
}

/** The human view: one status line a monitoring system can show, then the evidence. */
export function formatFindingTable(finding: Finding): string {
  const lines = [`${finding.title}: ${finding.status.toUpperCase()} - ${finding.summary}`, ''];
  for (const [key, value] of Object.entries(finding.evidence)) lines.push(...formatEntry(key, value, '  '));
  return `${lines.join('\n')}\n`;
}

export async function runHandshakeCommand(argv: readonly string[], io: CliIo, options: HandshakeCommandOptions = {}): Promise<number> {
  const args = parseHandshakeArgs(argv);
  if (!args.ok) {
    io.err(`rdp-health handshake: ${args.problem}\n\n${HANDSHAKE_USAGE}`);
    return EXIT_CODES.unknown;
  }
  if (args.help) {
    io.out(HANDSHAKE_USAGE);
    return EXIT_CODES.ok;
  }
  const probe = createHandshakeProbe({
    ...(args.host !== undefined ? { host: args.host } : {}),
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(options.defaultPort !== undefined ? { defaultPort: options.defaultPort } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  // --timeout bounds the whole run: on expiry the attempts are aborted and the finding says so.
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    if (args.timeoutSeconds !== undefined) timer = setTimeout(() => (controller.abort(), resolve('timeout')), args.timeoutSeconds * 1000);
  });
  const checked = findingFromNodeProbe(probe, {
    now: new Date(),
    warnDays: options.warnDays ?? 30,
    signal: controller.signal,
    // Run alone, there is no PowerShell data from a cycle to compare with.
    dataOf: () => undefined,
  });
  const raced = await Promise.race([checked, timedOut]).finally(() => clearTimeout(timer));
  const finding =
    raced === 'timeout'
      ? unknownFinding(probe, `The handshake did not finish within ${args.timeoutSeconds} seconds (--timeout).`, { timedOutAfterSeconds: args.timeoutSeconds }, new Date())
      : raced;
  io.out(args.json ? `${JSON.stringify(finding, null, 2)}\n` : formatFindingTable(finding));
  return EXIT_CODES[finding.status];
}

export const handshakeCommand: CliCommand = {
  usage: 'handshake [host[:port]] [--json] [--timeout <seconds>]',
  summary: 'Connects to a Remote Desktop listener like a client (X.224, TLS) and reports what a client would see.',
  run: (args, io) => runHandshakeCommand(args, io),
};
