/**
 * The running shell: wires the agent's events to the tray, the window and notifications, and the
 * tray menu, power events and IPC to the agent. Takes the Electron pieces as parameters (main.ts
 * passes the real module, tests a fake), so every wire here is tested without Electron.
 */
import { eventChannelOf, events, type EventName, type EventOf, type Navigation } from '../contract.js';
import type { HealthSnapshot } from '../domain/finding.js';
import { agentActions, type AgentPort, type StartAtLogin } from './actions.js';
import { registerIpcHandlers, ownWindowSender, type IpcMainLike } from './ipc.js';
import { setupNotifications, type AgentNotificationLike, type NotificationElectron } from './notifications.js';
import { watchPowerEvents, type PowerMonitorLike } from './power-events.js';
import { setupTray, type TrayElectron } from './tray.js';
import { trayModel, type TrayAction } from './tray-model.js';
import { createMainWindow, type WindowElectron } from './window.js';
import type { ShellPaths } from './paths.js';

export interface ShellAgent extends AgentPort {
  onResume(): void;
  stop(): Promise<void>;
  on(event: 'snapshot', listener: (snapshot: HealthSnapshot) => void): () => void;
  on(event: 'checking', listener: (checking: boolean) => void): () => void;
  on(event: 'notification', listener: (notification: AgentNotificationLike) => void): () => void;
}

export type ShellElectron = TrayElectron & NotificationElectron & WindowElectron & {
  ipcMain: IpcMainLike;
  powerMonitor: PowerMonitorLike;
  quit(): void;
};

export interface ShellLog {
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface ShellOptions {
  paths: ShellPaths;
  platform: NodeJS.Platform;
  loginItem: StartAtLogin;
  /** Started by the login item: stay in the tray. */
  hidden: boolean;
  log: ShellLog;
}

export interface RunningShell {
  showWindow(to?: Navigation): void;
  quit(): Promise<void>;
  /**
   * For app 'before-quit' (a quit from elsewhere, e.g. sign-out): true = hold it (preventDefault),
   * the shell stops the agent and quits itself; false once the shell's own quit is under way.
   */
  beforeQuit(): boolean;
}

export const AGENT_PROBLEM_TITLE = { settings: 'RDP Health: your settings were reset', logging: 'RDP Health: logging fell back', 'data-folder': 'RDP Health cannot save its data' } as const;

/** Quit waits this long for the agent to stop (a hung script must not keep the app alive). */
export const AGENT_STOP_TIMEOUT_MS = 5000;

export function startShell(electron: ShellElectron, agent: ShellAgent, options: ShellOptions): RunningShell {
  const { log } = options;
  const window = createMainWindow(electron, { preload: options.paths.preload, icon: options.paths.appIcon }, log);
  const push = <E extends EventName>(event: E, value: EventOf<E>) => window.send(eventChannelOf(event), events[event].parse(value));

  let checking = agent.getStatus().checking;
  const model = () => {
    const snapshot = agent.getSnapshot();
    const lastKnownAt = agent.getStatus().lastKnownAt;
    return trayModel({ snapshot, checking, startAtLogin: options.loginItem.get(), lastKnown: lastKnownAt !== undefined && snapshot?.startedAt === lastKnownAt });
  };

  let quitting: Promise<void> | undefined;
  let quitCalled = false;
  const quit = () => {
    quitting ??= (async () => {
      disposers.forEach((dispose) => dispose());
      tray.destroy();
      window.close();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((done) => {
        timer = setTimeout(() => {
          log.warn('agent did not stop in time; quitting anyway', { timeoutMs: AGENT_STOP_TIMEOUT_MS });
          done();
        }, AGENT_STOP_TIMEOUT_MS);
      });
      const stopped = agent.stop().catch((error: unknown) => log.error('agent did not stop cleanly', { error: String(error) }));
      await Promise.race([stopped, timedOut]);
      clearTimeout(timer);
      quitCalled = true;
      electron.quit();
    })();
    return quitting;
  };

  const onTray = (action: TrayAction, checked?: boolean) => {
    switch (action) {
      case 'open':
        return window.show();
      case 'check-now':
        return void agent.checkNow().catch((error: unknown) => log.error('check failed', { error: String(error) }));
      case 'repair-safe':
        return window.show({ to: 'repair-all' });
      case 'start-at-login': {
        const enabled = checked ?? !options.loginItem.get();
        options.loginItem.set(enabled);
        void agent.setSettings({ startAtLogin: enabled }).catch((error: unknown) => log.error('setting not saved', { error: String(error) }));
        return tray.update(model());
      }
      case 'quit':
        return void quit();
    }
  };

  const tray = setupTray(electron, { assetsDir: options.paths.assetsDir, platform: options.platform, initial: model(), onAction: onTray });
  const notifier = setupNotifications(electron, { iconPath: options.paths.appIcon, open: (to) => window.show(to) });
  // Problems with the agent itself (settings reset, logging fell back, nothing can be saved): one notification each.
  const told = new Set<string>();
  const tellProblems = () => {
    for (const problem of agent.getStatus().problems ?? []) {
      if (told.has(problem.message)) continue;
      told.add(problem.message);
      notifier.show({ title: AGENT_PROBLEM_TITLE[problem.kind], body: problem.message });
    }
  };

  const disposers = [
    registerIpcHandlers(electron.ipcMain, agentActions(agent, options.loginItem), ownWindowSender(window.webContentsId), log),
    watchPowerEvents(electron.powerMonitor, () => agent.onResume()),
    agent.on('snapshot', (snapshot) => {
      tray.update(model());
      tellProblems();
      push('snapshot', snapshot);
    }),
    agent.on('checking', (value) => {
      checking = value;
      tray.update(model());
      push('checking', value);
    }),
    agent.on('notification', (notification) => notifier.show(notification)),
  ];

  if (!options.hidden) window.show();
  tellProblems();
  const beforeQuit = () => {
    if (quitCalled) return false;
    void quit();
    return true;
  };
  return { showWindow: (to) => window.show(to), quit, beforeQuit };
}
