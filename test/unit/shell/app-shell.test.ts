// The wiring main.ts starts, through a fake Electron and an agent that emits like the real one:
// events reach the tray and the window, the tray menu and notifications reach the agent and the
// window, power events reach onResume, and IPC is registered behind the sender check.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HealthSnapshot } from '../../../probes/common/finding.js';
import { AGENT_STOP_TIMEOUT_MS, startShell, type ShellAgent, type ShellElectron } from '../../../electron/shell/app-shell.js';
import { shellPaths } from '../../../electron/shell/paths.js';
import { FakeBrowserWindow, FakeIpcMain, FakeMenu, FakeNotification, FakePowerMonitor, FakeTray, fakeNativeImage, senderEvent } from './fake-electron.js';
import { finding, safeFix, snapshot } from './snapshots.js';

const paths = shellPaths({ mainDir: '/app/out/main', isPackaged: true, appPath: '/app/resources/app.asar', resourcesPath: '/app/resources', platform: 'win32' });

class EmittingAgent extends EventEmitter {
  current: HealthSnapshot | undefined;
  calls: string[] = [];
  getSnapshot = () => this.current;
  status: ReturnType<ShellAgent['getStatus']> = { checking: false };
  getStatus = () => this.status;
  checkNow = async () => (this.calls.push('checkNow'), this.current!);
  onResume = () => this.calls.push('onResume');
  stop = async () => void this.calls.push('stop');
  setSettings = async (patch: object) => (this.calls.push(`setSettings:${JSON.stringify(patch)}`), {});
  // The real agent's on() returns an unsubscribe.
  override on(event: string, listener: (...args: unknown[]) => void): never {
    super.on(event, listener);
    return (() => this.off(event, listener)) as never;
  }
}

function setup(options: { hidden?: boolean; status?: ReturnType<ShellAgent['getStatus']>; current?: HealthSnapshot } = {}) {
  const agent = new EmittingAgent();
  if (options.status) agent.status = options.status;
  agent.current = options.current;
  const ipcMain = new FakeIpcMain();
  const powerMonitor = new FakePowerMonitor();
  const quit = vi.fn();
  let loginItem = false;
  const electron = { BrowserWindow: FakeBrowserWindow, Menu: FakeMenu, Notification: FakeNotification, Tray: FakeTray, nativeImage: fakeNativeImage, ipcMain, powerMonitor, quit } as unknown as ShellElectron;
  const shell = startShell(electron, agent as unknown as ShellAgent, {
    paths,
    platform: 'win32',
    loginItem: { get: () => loginItem, set: (on) => (loginItem = on) },
    hidden: options.hidden ?? false,
    log: { warn: () => {}, error: () => {} },
  });
  const tray = FakeTray.created.at(-1)!;
  const click = (id: string, checked?: boolean) => tray.menu!.template.find((item) => item.id === id)!.click!({ checked } as never, undefined, {} as never);
  return { agent, ipcMain, powerMonitor, quit, shell, tray, click, loginItem: () => loginItem };
}

describe('app shell', () => {
  beforeEach(() => {
    FakeTray.created = [];
    FakeBrowserWindow.created = [];
    FakeNotification.shown = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('opens the window at start, but not when started by the login item', () => {
    setup();
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(FakeBrowserWindow.created[0]!.options.webPreferences?.preload).toBe('/app/out/preload/preload.cjs');
    FakeBrowserWindow.created = [];
    setup({ hidden: true });
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('shows checking, then the snapshot, in the tray and in the window', () => {
    const { agent, tray } = setup();
    const window = FakeBrowserWindow.created[0]!;
    window.webContents.finishLoad();
    expect(tray.images.at(-1)).toEqual({ path: '/app/resources/assets/tray/unknown.ico' });
    agent.emit('checking', true);
    expect(tray.images.at(-1)).toEqual({ path: '/app/resources/assets/tray/checking.ico' });
    agent.current = snapshot([finding('certificate', 'fail', { title: 'RDP certificate', fixes: [safeFix()] })]);
    agent.emit('snapshot', agent.current);
    agent.emit('checking', false);
    expect(tray.images.at(-1)).toEqual({ path: '/app/resources/assets/tray/fail.ico' });
    expect(tray.tooltip).toBe('RDP Health: connections will fail - RDP certificate');
    expect(window.webContents.sent.map(([channel]) => channel)).toEqual(['rdp-health:event:checking', 'rdp-health:event:snapshot', 'rdp-health:event:checking']);
  });

  it('routes the tray menu: Check now, Repair safe problems…, Start at login, Open, Quit', async () => {
    const { agent, click, quit, loginItem } = setup();
    agent.current = snapshot([finding('certificate', 'fail', { fixes: [safeFix()] })]);
    agent.emit('snapshot', agent.current);
    click('check-now');
    expect(agent.calls).toContain('checkNow');
    FakeBrowserWindow.created[0]!.close();
    click('repair-safe');
    const reopened = FakeBrowserWindow.created[1]!;
    reopened.webContents.finishLoad();
    expect(reopened.webContents.sent).toContainEqual(['rdp-health:event:navigate', { to: 'repair-all' }]);
    click('start-at-login', true);
    expect(loginItem()).toBe(true);
    expect(agent.calls).toContain('setSettings:{"startAtLogin":true}');
    await vi.runAllTimersAsync();
    click('quit');
    await vi.runAllTimersAsync();
    expect(agent.calls.at(-1)).toBe('stop');
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it('quits within the time limit when the agent does not stop, closing the window at once', async () => {
    const { agent, click, quit } = setup();
    agent.stop = () => new Promise<undefined>(() => {});
    click('quit');
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeBrowserWindow.created[0]!.destroyed).toBe(true);
    expect(quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(AGENT_STOP_TIMEOUT_MS);
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it('holds a quit from elsewhere until the agent stopped, then lets it through', async () => {
    const { agent, quit, shell } = setup();
    expect(shell.beforeQuit()).toBe(true);
    expect(shell.beforeQuit()).toBe(true);
    await vi.runAllTimersAsync();
    expect(agent.calls.filter((call) => call === 'stop')).toHaveLength(1);
    expect(quit).toHaveBeenCalledTimes(1);
    expect(shell.beforeQuit()).toBe(false);
  });

  it('shows the agent’s notifications; a click opens the window at that probe', () => {
    const { agent } = setup({ hidden: true });
    agent.emit('notification', { title: 'Certificate expires in 7 days', body: 'Renew it.', probeId: 'certificate' });
    const toast = FakeNotification.shown[0]!;
    expect(toast.options.title).toBe('Certificate expires in 7 days');
    toast.emit('click');
    const window = FakeBrowserWindow.created[0]!;
    window.webContents.finishLoad();
    expect(window.webContents.sent).toContainEqual(['rdp-health:event:navigate', { to: 'probe', probeId: 'certificate' }]);
  });

  it('says each problem of the agent itself once, in a notification', () => {
    const problem = { kind: 'settings' as const, message: 'The settings file was damaged; it was kept as settings.json.corrupt-1 and the defaults are used.' };
    const { agent } = setup({ hidden: true, status: { checking: false, problems: [problem] } });
    expect(FakeNotification.shown.map((toast) => toast.options)).toMatchObject([{ title: 'RDP Health: your settings were reset', body: problem.message }]);
    agent.current = snapshot([finding('nla', 'ok')]);
    agent.emit('snapshot', agent.current);
    expect(FakeNotification.shown).toHaveLength(1);
    agent.status = { checking: false, problems: [problem, { kind: 'data-folder', message: 'RDP Health cannot save in its data folder D (EISDIR)…' }] };
    agent.emit('snapshot', agent.current);
    expect(FakeNotification.shown.map((toast) => toast.options.title)).toEqual(['RDP Health: your settings were reset', 'RDP Health cannot save its data']);
  });

  it('at a cold start the tray shows the last known state, not "checking"', () => {
    const last = snapshot([finding('certificate', 'warn', { title: 'RDP certificate' })]);
    const { agent, tray } = setup({ hidden: true, current: last, status: { checking: true, lastKnownAt: last.startedAt } });
    agent.emit('checking', true);
    expect(tray.images.at(-1)).toEqual({ path: '/app/resources/assets/tray/warn.ico' });
    expect(tray.tooltip).toBe('RDP Health: last known: needs attention - RDP certificate');
    agent.status = { checking: true };
    agent.current = snapshot([finding('certificate', 'ok')]);
    agent.emit('snapshot', agent.current);
    expect(tray.images.at(-1)).toEqual({ path: '/app/resources/assets/tray/checking.ico' });
  });

  it('checks after resume and unlock, once', () => {
    const { agent, powerMonitor } = setup();
    powerMonitor.emit('resume');
    powerMonitor.emit('unlock-screen');
    vi.advanceTimersByTime(10_000);
    expect(agent.calls.filter((c) => c === 'onResume')).toHaveLength(1);
  });

  it('answers IPC only from its own window', async () => {
    const { agent, ipcMain } = setup();
    agent.current = snapshot([finding('nla', 'ok')]);
    const window = FakeBrowserWindow.created[0]!;
    await expect(ipcMain.invoke(senderEvent(window.webContents.id, 'app://rdp-health/index.html'), 'rdp-health:getSnapshot')).resolves.toEqual(agent.current);
    await expect(ipcMain.invoke(senderEvent(window.webContents.id + 100, 'app://rdp-health/index.html'), 'rdp-health:getSnapshot')).rejects.toThrow('untrusted-sender');
  });

  it('finds its files in the packaged layout and in development', () => {
    expect(paths).toEqual({ preload: '/app/out/preload/preload.cjs', rendererDir: '/app/out/renderer', assetsDir: '/app/resources/assets', appIcon: '/app/resources/assets/icon.ico' });
    expect(shellPaths({ mainDir: '/repo/out/main', isPackaged: false, appPath: '/repo', resourcesPath: '/x', platform: 'linux' })).toMatchObject({ assetsDir: '/repo/assets', appIcon: '/repo/assets/icon.png' });
  });
});
