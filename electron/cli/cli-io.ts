/** What a CLI command is, and where it writes (injected, so tests read the output). */
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
