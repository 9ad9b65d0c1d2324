/**
 * Start at login through the OS's own login items (Windows: the Run key Electron manages). The
 * login item passes --hidden so a start at sign-in stays in the tray. On Windows the same args
 * must be given when reading, or Electron looks for a different entry.
 */
import type { StartAtLogin } from './actions.js';
import { HIDDEN_ARG } from './app-identity.js';

export interface LoginItemApp {
  getLoginItemSettings(options?: { path?: string; args?: string[] }): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

export function createAutostart(app: LoginItemApp, executablePath: string): StartAtLogin {
  const item = { path: executablePath, args: [HIDDEN_ARG] };
  return {
    get: () => app.getLoginItemSettings(item).openAtLogin,
    set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, ...item }),
  };
}

/** Started by the login item: stay in the tray until asked. */
export function startedHidden(argv: readonly string[]): boolean {
  return argv.includes(HIDDEN_ARG);
}

/**
 * A second start brings up the running agent's window, unless it is the login item's (--hidden):
 * e.g. the Run key firing while the agent already runs must not pop the window up at sign-in.
 */
export function secondStartShowsWindow(argv: readonly string[]): boolean {
  return !startedHidden(argv);
}
