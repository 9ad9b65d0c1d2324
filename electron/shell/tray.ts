/** Draws a TrayModel: icon, tooltip, context menu; single click opens the window. */
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayIconName, TrayModel } from './tray-model.js';

/** The few Electron pieces the tray needs (a fake in tests, `electron` in main.ts). */
export interface TrayElectron {
  Tray: new (image: never) => TrayHandle;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): unknown };
  nativeImage: { createFromPath(path: string): unknown };
}

export interface TrayHandle {
  setImage(image: never): void;
  setToolTip(text: string): void;
  setContextMenu(menu: never): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** Windows gets the multi-size .ico (it picks 16–32 px by scaling); elsewhere the PNG with its @2x. */
export function trayIconPath(assetsDir: string, icon: TrayIconName, platform: NodeJS.Platform): string {
  return join(assetsDir, 'tray', platform === 'win32' ? `${icon}.ico` : `${icon}.png`);
}

export function menuTemplate(model: TrayModel, onAction: (action: TrayAction, checked?: boolean) => void): MenuItemConstructorOptions[] {
  return model.menu.flatMap((item): MenuItemConstructorOptions[] => [
    ...(item.separatorBefore ? [{ type: 'separator' as const }] : []),
    {
      id: item.action,
      label: item.label,
      type: item.type,
      enabled: item.enabled,
      ...(item.type === 'checkbox' ? { checked: item.checked ?? false } : {}),
      click: (menuItem) => onAction(item.action, item.type === 'checkbox' ? menuItem.checked : undefined),
    },
  ]);
}

export interface AppTray {
  update(model: TrayModel): void;
  destroy(): void;
}

export function setupTray(
  electron: TrayElectron,
  options: { assetsDir: string; platform: NodeJS.Platform; initial: TrayModel; onAction: (action: TrayAction, checked?: boolean) => void },
): AppTray {
  const image = (icon: TrayIconName) => electron.nativeImage.createFromPath(trayIconPath(options.assetsDir, icon, options.platform)) as never;
  const tray = new electron.Tray(image(options.initial.icon));
  let shown: TrayModel | undefined;
  const update = (model: TrayModel) => {
    if (shown?.icon !== model.icon && shown) tray.setImage(image(model.icon));
    if (shown?.tooltip !== model.tooltip) tray.setToolTip(model.tooltip);
    if (JSON.stringify(shown?.menu) !== JSON.stringify(model.menu)) {
      tray.setContextMenu(electron.Menu.buildFromTemplate(menuTemplate(model, options.onAction)) as never);
    }
    shown = model;
  };
  tray.on('click', () => options.onAction('open'));
  update(options.initial);
  return { update, destroy: () => tray.destroy() };
}
