/**
 * The main window, built to DESIGN.md's security checklist: isolated, sandboxed, no Node, loaded
 * from app:// only; navigation, new windows, webviews and permission requests are all refused.
 * Closing it destroys it (the tray keeps the app running); Open makes a new one.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import type { Navigation } from '../contract.js';
import { eventChannelOf } from '../contract.js';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, PRODUCT_NAME } from './app-identity.js';

export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function windowOptions(paths: { preload: string; icon: string }): BrowserWindowConstructorOptions {
  return {
    title: PRODUCT_NAME,
    icon: paths.icon,
    width: 980,
    height: 760,
    minWidth: 520,
    minHeight: 420,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
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
      safeDialogs: true,
      spellcheck: false,
      // Middle-click opens links in new windows, which are denied anyway; don't offer the event.
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/** The main frame of our own page, loaded from app://rdp-health/. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

interface PreventableEvent { preventDefault(): void }

export interface WebContentsLike {
  id: number;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview' | 'will-frame-navigate', listener: (event: PreventableEvent, ...rest: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'did-finish-load', listener: () => void): unknown;
  isLoading(): boolean;
}

/** Applied to every web contents the app creates (main.ts: app 'web-contents-created'). */
export function hardenWebContents(contents: WebContentsLike): void {
  // A single-page app never navigates: any navigation is an injection or a stray link.
  const deny = (event: PreventableEvent) => event.preventDefault();
  contents.on('will-navigate', deny);
  contents.on('will-frame-navigate', deny);
  contents.on('will-redirect', deny);
  contents.on('will-attach-webview', deny);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

/** No camera, microphone, notifications-from-page, clipboard, geolocation … nothing is asked for. */
export function denyAllPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export interface BrowserWindowLike {
  webContents: WebContentsLike;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  loadURL(url: string): Promise<void>;
  close(): void;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export interface WindowElectron {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowLike;
}

export interface MainWindow {
  /** Shows (creating if needed) and optionally takes the page somewhere. */
  show(to?: Navigation): void;
  /** The live window's web contents id, for the IPC sender check. */
  webContentsId(): number | undefined;
  send(channel: string, value: unknown): void;
  /** Closes the window if it is open (quit: it goes at once, whatever the agent still does). */
  close(): void;
}

export function createMainWindow(
  electron: WindowElectron,
  paths: { preload: string; icon: string },
  log?: { error(message: string, meta?: Record<string, unknown>): void },
): MainWindow {
  let window: BrowserWindowLike | undefined;
  const live = () => (window && !window.isDestroyed() ? window : undefined);
  const navigate = (target: BrowserWindowLike, to: Navigation) => {
    const send = () => target.webContents.send(eventChannelOf('navigate'), to);
    if (target.webContents.isLoading()) target.webContents.once('did-finish-load', send);
    else send();
  };
  return {
    show(to) {
      let target = live();
      if (!target) {
        const created = new electron.BrowserWindow(windowOptions(paths));
        created.once('ready-to-show', () => created.show());
        created.on('closed', () => {
          if (window === created) window = undefined;
        });
        // A failed load leaves an empty window: say why in the log rather than an unhandled rejection.
        created.loadURL(APP_ENTRY_URL).catch((error: unknown) => log?.error('window page did not load', { url: APP_ENTRY_URL, error: String(error) }));
        window = created;
        target = created;
      } else {
        if (target.isMinimized()) target.restore();
        target.show();
        target.focus();
      }
      if (to) navigate(target, to);
    },
    webContentsId: () => live()?.webContents.id,
    send(channel, value) {
      live()?.webContents.send(channel, value);
    },
    close() {
      live()?.close();
    },
  };
}
