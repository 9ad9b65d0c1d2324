/**
 * Reads the user's Remote Desktop history through the agent's PowerShell session (on Windows the
 * user's own HKCU and Documents; with --simulate the simulated host's). Used by `rdp-health
 * connect`, the Connect view and `rdp-health scan --history`.
 */
import { join } from 'node:path';
import { describeProblem, parseEnvelope } from '../../../probes/common/envelope.js';
import { CLIENT_HISTORY_PROBE_ID, CLIENT_HISTORY_SCRIPT, clientHistorySchema, historyTargets, type ClientHistory } from '../../../probes/client/client-history.js';
import type { ScriptSession } from '../powershell-session.js';

export type HistoryResult = { ok: true; history: ClientHistory } | { ok: false; problem: string };

/** Never rejects: a script that fails or returns something else is a problem in words. */
export async function readRdpHistory(session: ScriptSession, probesDir: string): Promise<HistoryResult> {
  let stdout: string;
  try {
    stdout = await session.runScript(join(probesDir, ...CLIENT_HISTORY_SCRIPT.split('/')));
  } catch (error) {
    return { ok: false, problem: `The Remote Desktop history could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = parseEnvelope(CLIENT_HISTORY_PROBE_ID, stdout);
  if (!parsed.ok) return { ok: false, problem: describeProblem(parsed.problem) };
  if (!parsed.envelope.ok) return { ok: false, problem: `The Remote Desktop history could not be read (${parsed.envelope.error.kind}): ${parsed.envelope.error.message}` };
  const data = clientHistorySchema.safeParse(parsed.envelope.data);
  if (!data.success) return { ok: false, problem: `The Remote Desktop history came back in a shape this version does not understand: ${data.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, history: historyTargets(data.data) };
}
