/**
 * The process-level last resort: an exception or rejection nothing else caught is logged, then
 * the tray agent and the demo keep running (a monitoring agent must not go silent over one bad
 * event), while a one-shot command (the CLI) exits cleanly with 3, UNKNOWN. Installed once by
 * each entry point; the returned function removes it (tests).
 */
import type { AgentLogger } from './logging.js';

export interface LastResortOptions {
  logger: AgentLogger;
  /** 'keep-running' for the tray agent and the demo, 'exit' for the CLI. */
  mode: 'keep-running' | 'exit';
  /** Seams for tests: the process to listen on and how to exit. */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
  exit?: (code: number) => void;
}

export function installLastResort(options: LastResortOptions): () => void {
  const target = options.target ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const handle = (kind: string) => (error: unknown) => {
    try {
      options.logger.error(`${kind}: ${options.mode === 'exit' ? 'exiting' : 'kept running'}`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    } catch {
      // The logger itself failing is exactly when this must still hold.
    }
    if (options.mode === 'exit') exit(3);
  };
  const onException = handle('uncaught exception');
  const onRejection = handle('unhandled rejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
