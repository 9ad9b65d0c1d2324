/**
 * "Check now" on an installed host: the tray asks the SYSTEM host checker to check, with the user's
 * own rights, by running its Task Scheduler task (probes/common/Start-RdpHealthHostCheck.ps1: Users
 * may run that one task and nothing else), and waits for the run; the agent then reads the
 * published snapshot as always, verified. A request that cannot be made is logged: the agent's read
 * then says why the host checker's result is not shown and checks by itself.
 */
import { join } from 'node:path';
import { parseEnvelope } from '../../probes/common/envelope.js';
import type { ScriptSession } from './powershell-session.js';

export const HOST_CHECK_REQUEST_SCRIPT = 'common/Start-RdpHealthHostCheck.ps1';
/** The host checker's own run: a full cycle as SYSTEM, bounded by the task's time limit; the tray waits this long. */
const WAIT_SECONDS = 120;

interface Logger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export async function requestHostCheck(session: Pick<ScriptSession, 'runScript'>, probesDir: string, logger: Logger): Promise<void> {
  const stdout = await session.runScript(join(probesDir, ...HOST_CHECK_REQUEST_SCRIPT.split('/')), { TimeoutSeconds: WAIT_SECONDS }, { timeoutMs: (WAIT_SECONDS + 30) * 1000 });
  const parsed = parseEnvelope('host-check-request', stdout);
  if (!parsed.ok) logger.warn('host check request: unexpected output', { problem: parsed.problem.kind });
  else if (!parsed.envelope.ok) logger.warn('host check request refused', { kind: parsed.envelope.error.kind, message: parsed.envelope.error.message });
  else logger.info('host check requested', { result: parsed.envelope.data });
}
