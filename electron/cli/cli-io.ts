/** What a CLI command is, and where it writes (injected, so tests read the output). */
import type { AgentLogger } from '../agent/logging.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliCommand {
  /** One line, e.g. `check [--json] [--simulate <scenario|path>]`. */
  usage: string;
  summary: string;
  /** Arguments after the command name → exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** The agent's log on stderr with --verbose; otherwise nothing, so the output is only the result. */
export function verboseLogger(io: CliIo, verbose: boolean): AgentLogger {
  const write = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    if (verbose) io.err(`[${level}] ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  };
  return { debug: () => undefined, info: write('info'), warn: write('warn'), error: write('error') };
}
