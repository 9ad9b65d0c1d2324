/**
 * Composition root: the only place that wires Electron to the agent. Everything it calls takes the
 * Electron pieces as parameters (electron/shell/), so all of it is tested with a fake; this file
 * only orders the steps Electron requires.
 */
import { BrowserWindow, Menu, Notification, Tray, app, ipcMain, nativeImage, powerMonitor, protocol, session } from 'electron';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from './agent/agent.js';
import { installLastResort } from './agent/last-resort.js';
import { userDataDir } from './agent/user-data-dir.js';
import { COMMANDS, main as runCli } from './cli.js';
import { APP_ID } from './shell/app-identity.js';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './shell/app-protocol.js';
import { startShell, type RunningShell } from './shell/app-shell.js';
import { createAutostart, secondStartShowsWindow, startedHidden } from './shell/autostart.js';
import { asksToQuit, cliArguments } from './shell/command-line.js';
import { shellPaths } from './shell/paths.js';
import { denyAllPermissions, hardenWebContents } from './shell/window.js';

// First thing: toasts and the taskbar group by it, and the installer's shortcut carries the same id.
app.setAppUserModelId(APP_ID);
// Before ready: app:// gets a real origin (standard) and counts as secure.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let shell: RunningShell | undefined;

async function start(): Promise<void> {
  // Every web contents, ours or not, refuses navigation, new windows and webviews.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  // Closing the window leaves the agent running in the tray; Quit is in the tray menu.
  app.on('window-all-closed', () => {});
  await app.whenReady();

  const paths = shellPaths({ mainDir: dirname(fileURLToPath(import.meta.url)), isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, platform: process.platform });
  denyAllPermissions(session.defaultSession);
  registerAppProtocol(protocol, paths.rendererDir);

  // Per-user files (settings, history, notification state, logs) in %LOCALAPPDATA%\RDP Health.
  const agent = await Agent.create({ dataDir });
  // Whatever nothing else caught is logged; the tray agent keeps watching the host.
  installLastResort({ logger: agent.logger, mode: 'keep-running' });
  shell = startShell(
    { BrowserWindow, Menu, Notification, Tray, nativeImage, ipcMain, powerMonitor, quit: () => app.quit() },
    agent,
    { paths, platform: process.platform, loginItem: createAutostart(app, process.execPath), hidden: startedHidden(process.argv), log: agent.logger },
  );
  agent.start();
}

const dataDir = userDataDir(process.env, app.getPath('home'), process.platform);
const cliArgs = cliArguments(process.argv, app.isPackaged, Object.keys(COMMANDS));
// The tray app's Chromium files go there too; the headless commands (the host checker as SYSTEM
// in session 0) touch no user folder at all (electron/electron#9844).
if (!cliArgs) app.setPath('userData', dataDir);
if (cliArgs) {
  // `RDP Health.exe check --nagios`: the headless command for monitoring systems; no window, no tray.
  runCli(cliArgs).then(
    (code) => app.exit(code),
    () => app.exit(3),
  );
} else if (!app.requestSingleInstanceLock() || asksToQuit(process.argv)) {
  // One agent per user session: a second start only brings up the first one's window (or, with
  // --quit, asks it to quit); --quit with no agent running starts nothing.
  app.quit();
} else {
  // A quit from elsewhere (sign-out, installer) also stops the agent first, within a time limit.
  app.on('before-quit', (event) => {
    if (shell?.beforeQuit()) event.preventDefault();
  });
  app.on('second-instance', (_event, argv) => {
    if (asksToQuit(argv)) void shell?.quit();
    else if (secondStartShowsWindow(argv)) shell?.showWindow();
  });
  start().catch((error: unknown) => {
    console.error('RDP Health could not start:', error);
    app.exit(1);
  });
}
