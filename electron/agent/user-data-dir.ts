/**
 * Where one user's files live: %LOCALAPPDATA%\RDP Health on Windows (settings, history, notification
 * state, logs and the log library's own state). Local, not Roaming: they describe this computer.
 * Nothing per user lives under %ProgramData%, which other users of an RDS host share.
 */
import { join, win32 } from 'node:path';

export function userDataDir(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return win32.join(env.LOCALAPPDATA ?? win32.join(home, 'AppData', 'Local'), 'RDP Health');
  return join(env.XDG_STATE_HOME ?? join(home, '.local', 'state'), 'rdp-health', 'agent');
}
