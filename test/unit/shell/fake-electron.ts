/**
 * A fake of the few Electron pieces the shell touches, behaving as Electron documents them
 * (e.g. invoking a channel nobody handles rejects). Tests never load the real `electron`
 * package: it downloads a binary on first require.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import type { IpcInvokeEventLike } from '../../../electron/shell/ipc.js';

type InvokeListener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke from `event`'s frame would get. */
  async invoke(event: IpcInvokeEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    // Electron structured-clones arguments and results across the process boundary.
    return structuredClone(await listener(event, ...structuredClone(args)));
  }
}

export function senderEvent(webContentsId: number, url: string, options: { subframe?: boolean } = {}): IpcInvokeEventLike {
  return { sender: { id: webContentsId }, senderFrame: { url, parent: options.subframe ? {} : null } };
}

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: Array<[string, unknown]> = [];
  loading = true;
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, value: unknown): void {
    this.sent.push([channel, value]);
  }
  isLoading(): boolean {
    return this.loading;
  }
  finishLoad(): void {
    this.loading = false;
    this.emit('did-finish-load');
  }
  /** Emits a preventable event the way Electron does; returns whether it was prevented. */
  attempt(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview' | 'will-frame-navigate', url: string): boolean {
    const e = new FakeEvent();
    this.emit(event, e, url);
    return e.defaultPrevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  visible = false;
  focused = false;
  loadedUrl: string | undefined;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

export class FakeTray extends EventEmitter {
  static created: FakeTray[] = [];
  images: unknown[] = [];
  tooltip = '';
  menu: { template: MenuItemConstructorOptions[] } | undefined;
  destroyed = false;
  constructor(image: unknown) {
    super();
    this.images.push(image);
    FakeTray.created.push(this);
  }
  setImage(image: unknown): void {
    this.images.push(image);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: { template: MenuItemConstructorOptions[] }): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export const FakeMenu = {
  buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
};

export const fakeNativeImage = {
  createFromPath: (path: string) => ({ path }),
};

export class FakeNotification extends EventEmitter {
  static supported = true;
  static shown: FakeNotification[] = [];
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  constructor(readonly options: { title: string; body: string; icon?: string }) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

export class FakePowerMonitor extends EventEmitter {}

export class FakeSession {
  requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  checkHandler: (() => boolean) | undefined;
  setPermissionRequestHandler(handler: FakeSession['requestHandler']): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: () => boolean): void {
    this.checkHandler = handler;
  }
}

export class FakeLoginItems {
  items = new Map<string, boolean>();
  getLoginItemSettings(options?: { path?: string; args?: string[] }): { openAtLogin: boolean } {
    return { openAtLogin: this.items.get(JSON.stringify(options ?? {})) ?? false };
  }
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void {
    this.items.set(JSON.stringify({ path: settings.path, args: settings.args }), settings.openAtLogin);
  }
}
