/**
 * The headless `rdp-health` command: the same agent as the tray app, no Electron. One entry a
 * command in COMMANDS; each command parses its own arguments and returns the exit code
 * (0 ok, 1 warn, 2 fail, 3 unknown — the monitoring-plugin convention; usage errors are 3 too).
 */
import { checkCommand } from './cli/check-command.js';
import { connectCommand } from './cli/connect-command.js';
import { fixCommand, undoCommand } from './cli/fix-command.js';
import { handshakeCommand } from './cli/handshake-command.js';
import { hostCheckCommand } from './cli/host-check-command.js';
import { scanCommand } from './cli/scan-command.js';
import { exporterCommand } from './cli/exporter-command.js';
import type { CliCommand, CliIo } from './cli/cli-io.js';

export type { CliCommand, CliIo } from './cli/cli-io.js';

export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  check: checkCommand,
  handshake: handshakeCommand,
  connect: connectCommand,
  scan: scanCommand,
  exporter: exporterCommand,
  fix: fixCommand,
  undo: undoCommand,
  'host-check': hostCheckCommand,
};

export const USAGE_EXIT_CODE = 3;

const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export function usage(): string {
  const lines = Object.values(COMMANDS).map((command) => `  ${command.usage}\n      ${command.summary}`);
  return ['Usage: rdp-health <command> [options]', '', 'Commands:', ...lines, '', 'Exit codes: 0 ok, 1 warn, 2 fail, 3 unknown or error.'].join('\n');
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name === undefined ? USAGE_EXIT_CODE : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return USAGE_EXIT_CODE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.err(`rdp-health ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return USAGE_EXIT_CODE;
  }
}
