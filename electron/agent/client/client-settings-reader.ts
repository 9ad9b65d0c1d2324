/** Reads this PC's client settings through the agent's PowerShell session (Get-RdpClientSettings.ps1). */
import { join } from 'node:path';
import { describeProblem, parseEnvelope } from '../../../probes/common/envelope.js';
import { CLIENT_SETTINGS_PROBE_ID, CLIENT_SETTINGS_SCRIPT, clientSettingsSchema, type ClientSettings } from '../../../probes/client/client-settings.js';
import type { ScriptSession } from '../powershell-session.js';

export type SettingsResult = { ok: true; settings: ClientSettings } | { ok: false; problem: string };

/** Never rejects. */
export async function readClientSettings(session: ScriptSession, probesDir: string): Promise<SettingsResult> {
  let stdout: string;
  try {
    stdout = await session.runScript(join(probesDir, ...CLIENT_SETTINGS_SCRIPT.split('/')));
  } catch (error) {
    return { ok: false, problem: `This PC's Remote Desktop client settings could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = parseEnvelope(CLIENT_SETTINGS_PROBE_ID, stdout);
  if (!parsed.ok) return { ok: false, problem: describeProblem(parsed.problem) };
  if (!parsed.envelope.ok) return { ok: false, problem: `This PC's client settings could not be read (${parsed.envelope.error.kind}): ${parsed.envelope.error.message}` };
  const data = clientSettingsSchema.safeParse(parsed.envelope.data);
  if (!data.success) return { ok: false, problem: `This PC's client settings came back in a shape this version does not understand: ${data.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, settings: data.data };
}
