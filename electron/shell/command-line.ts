/**
 * `"RDP Health.exe" check --nagios` on an installed host: the same executable serves monitoring
 * systems and Intune detection scripts (the fuses forbid ELECTRON_RUN_AS_NODE, so there is no
 * other way to reach the headless command). A first argument that names a CLI command selects it;
 * anything else (nothing, --hidden) starts the tray app.
 */

/**
 * The CLI arguments, or undefined to start the tray app. Packaged, argv is [exe, ...args];
 * in development Electron runs as [electron, appPath, ...args].
 */
export function cliArguments(argv: readonly string[], isPackaged: boolean, commands: readonly string[]): string[] | undefined {
  const args = argv.slice(isPackaged ? 1 : 2);
  const [first] = args;
  return first !== undefined && commands.includes(first) ? args : undefined;
}

/**
 * `"RDP Health.exe" --quit`: the running agent in this session quits through its own quit path (the
 * tray's Quit: the agent stops first, within its time limit). For scripts, the Windows CI job and
 * upgrades; with no agent running it starts nothing.
 */
export const QUIT_ARG = '--quit';

export function asksToQuit(argv: readonly string[]): boolean {
  return argv.includes(QUIT_ARG);
}
