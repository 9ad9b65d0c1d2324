import { describe, expect, it } from 'vitest';
import { createAutostart, secondStartShowsWindow, startedHidden } from '../../../electron/shell/autostart.js';
import { FakeLoginItems } from './fake-electron.js';

describe('start at login', () => {
  it('registers the login item with --hidden and reads it back with the same arguments', () => {
    const app = new FakeLoginItems();
    const autostart = createAutostart(app, 'C:\\Program Files\\RDP Health\\RDP Health.exe');
    expect(autostart.get()).toBe(false);
    autostart.set(true);
    expect(autostart.get()).toBe(true);
    expect([...app.items.keys()]).toEqual([JSON.stringify({ path: 'C:\\Program Files\\RDP Health\\RDP Health.exe', args: ['--hidden'] })]);
    autostart.set(false);
    expect(autostart.get()).toBe(false);
  });

  it('stays in the tray when started by the login item', () => {
    expect(startedHidden(['RDP Health.exe', '--hidden'])).toBe(true);
    expect(startedHidden(['RDP Health.exe'])).toBe(false);
  });

  it('brings up the window on a second start, but not on the login item\'s', () => {
    const app = new FakeLoginItems();
    createAutostart(app, 'C:\\RDP Health.exe').set(true);
    const loginItem = JSON.parse([...app.items.keys()][0] ?? '{}') as { path: string; args: string[] };
    expect(secondStartShowsWindow([loginItem.path, ...loginItem.args])).toBe(false);
    expect(secondStartShowsWindow(['C:\\RDP Health.exe'])).toBe(true);
  });
});
