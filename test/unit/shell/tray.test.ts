import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { setupTray, trayIconPath, type TrayElectron } from '../../../electron/shell/tray.js';
import { trayModel, type TrayAction } from '../../../electron/shell/tray-model.js';
import { FakeMenu, FakeTray, fakeNativeImage } from './fake-electron.js';
import { finding, snapshot } from './snapshots.js';

const electron = { Tray: FakeTray, Menu: FakeMenu, nativeImage: fakeNativeImage } as unknown as TrayElectron;

function click(item: MenuItemConstructorOptions, checked?: boolean) {
  item.click?.({ checked } as never, undefined, {} as never);
}

describe('tray', () => {
  beforeEach(() => {
    FakeTray.created = [];
  });

  it('uses the multi-size .ico on Windows and the PNG elsewhere', () => {
    expect(trayIconPath('/a', 'fail', 'win32')).toBe('/a/tray/fail.ico');
    expect(trayIconPath('/a', 'ok', 'linux')).toBe('/a/tray/ok.png');
  });

  it('draws the model and redraws only what changed', () => {
    const actions: Array<[TrayAction, boolean | undefined]> = [];
    const initial = trayModel({ snapshot: undefined, checking: true, startAtLogin: false });
    const tray = setupTray(electron, { assetsDir: '/assets', platform: 'win32', initial, onAction: (a, c) => actions.push([a, c]) });
    const fake = FakeTray.created[0]!;
    expect(fake.images).toEqual([{ path: '/assets/tray/checking.ico' }]);
    expect(fake.tooltip).toBe('RDP Health: checking…');

    const menuBefore = fake.menu;
    tray.update(trayModel({ snapshot: snapshot([finding('certificate', 'fail', { title: 'RDP certificate' })]), checking: false, startAtLogin: false }));
    expect(fake.images.at(-1)).toEqual({ path: '/assets/tray/fail.ico' });
    expect(fake.tooltip).toBe('RDP Health: connections will fail - RDP certificate');
    expect(fake.menu).not.toBe(menuBefore);

    const images = fake.images.length;
    tray.update(trayModel({ snapshot: snapshot([finding('certificate', 'fail', { title: 'RDP certificate' })]), checking: false, startAtLogin: false }));
    expect(fake.images.length).toBe(images);
  });

  it('routes menu clicks and a single click on the icon to actions', () => {
    const actions: Array<[TrayAction, boolean | undefined]> = [];
    setupTray(electron, { assetsDir: '/assets', platform: 'linux', initial: trayModel({ snapshot: undefined, checking: false, startAtLogin: false }), onAction: (a, c) => actions.push([a, c]) });
    const fake = FakeTray.created[0]!;
    const template = fake.menu!.template;
    expect(template.map((item) => item.type ?? 'normal')).toEqual(['normal', 'normal', 'normal', 'separator', 'checkbox', 'separator', 'normal']);
    const byId = (id: string) => template.find((item) => item.id === id)!;
    click(byId('check-now'));
    click(byId('start-at-login'), true);
    click(byId('quit'));
    fake.emit('click');
    expect(actions).toEqual([['check-now', undefined], ['start-at-login', true], ['quit', undefined], ['open', undefined]]);
  });
});
