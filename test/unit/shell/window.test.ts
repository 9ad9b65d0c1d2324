import { beforeEach, describe, expect, it } from 'vitest';
import { createMainWindow, denyAllPermissions, hardenWebContents, isAppUrl, windowOptions, type WindowElectron } from '../../../electron/shell/window.js';
import { FakeBrowserWindow, FakeSession, FakeWebContents } from './fake-electron.js';

const paths = { preload: '/app/out/preload/preload.cjs', icon: '/app/assets/icon.png' };
const electron = { BrowserWindow: FakeBrowserWindow } as unknown as WindowElectron;

describe('window options', () => {
  it('isolates, sandboxes and keeps Node out of the page', () => {
    expect(windowOptions(paths).webPreferences).toMatchObject({
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('loads a CommonJS preload (a sandboxed preload cannot be an ES module)', () => {
    expect(windowOptions(paths).webPreferences?.preload).toMatch(/\.c?js$/);
  });

  it('starts hidden and shows when ready (no white flash)', () => {
    expect(windowOptions(paths).show).toBe(false);
  });
});

describe('web contents hardening', () => {
  it('refuses every navigation, redirect and webview, and denies new windows', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents);
    expect(contents.attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-navigate', 'app://rdp-health/other.html')).toBe(true);
    expect(contents.attempt('will-frame-navigate', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-redirect', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-attach-webview', 'https://example.com/')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const session = new FakeSession();
    denyAllPermissions(session);
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) session.requestHandler?.({}, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false, false]);
    expect(session.checkHandler?.()).toBe(false);
  });

  it('knows our own page by scheme and host only', () => {
    expect(isAppUrl('app://rdp-health/index.html')).toBe(true);
    expect(isAppUrl('app://rdp-health.evil/index.html')).toBe(false);
    expect(isAppUrl('http://rdp-health/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('main window', () => {
  beforeEach(() => {
    FakeBrowserWindow.created = [];
  });

  it('creates one window from app:// and shows it when ready', () => {
    const main = createMainWindow(electron, paths);
    main.show();
    const window = FakeBrowserWindow.created[0]!;
    expect(window.loadedUrl).toBe('app://rdp-health/index.html');
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
    main.show();
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(window.focused).toBe(true);
    expect(main.webContentsId()).toBe(window.webContents.id);
  });

  it('logs a page that does not load instead of leaving an unhandled rejection', async () => {
    const errors: unknown[][] = [];
    class FailingWindow extends FakeBrowserWindow {
      override async loadURL(): Promise<void> {
        throw new Error('ERR_FILE_NOT_FOUND');
      }
    }
    createMainWindow({ BrowserWindow: FailingWindow }, paths, { error: (...args) => errors.push(args) }).show();
    await new Promise((done) => setTimeout(done, 0));
    expect(errors).toEqual([['window page did not load', { url: 'app://rdp-health/index.html', error: 'Error: ERR_FILE_NOT_FOUND' }]]);
  });

  it('opens a new window after the last one was closed (the app lives on in the tray)', () => {
    const main = createMainWindow(electron, paths);
    main.show();
    FakeBrowserWindow.created[0]!.close();
    expect(main.webContentsId()).toBeUndefined();
    main.show();
    expect(FakeBrowserWindow.created).toHaveLength(2);
  });

  it('takes the page to a probe once it has loaded', () => {
    const main = createMainWindow(electron, paths);
    main.show({ to: 'probe', probeId: 'certificate' });
    const contents = FakeBrowserWindow.created[0]!.webContents;
    expect(contents.sent).toEqual([]);
    contents.finishLoad();
    expect(contents.sent).toEqual([['rdp-health:event:navigate', { to: 'probe', probeId: 'certificate' }]]);
    main.show({ to: 'repair-all' });
    expect(contents.sent.at(-1)).toEqual(['rdp-health:event:navigate', { to: 'repair-all' }]);
  });
});
