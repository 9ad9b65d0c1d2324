import { beforeEach, describe, expect, it } from 'vitest';
import type { Navigation } from '../../../electron/contract.js';
import { notificationTarget, setupNotifications, type NotificationElectron } from '../../../electron/shell/notifications.js';
import { FakeNotification } from './fake-electron.js';

const electron = { Notification: FakeNotification } as unknown as NotificationElectron;

describe('notification click routing', () => {
  it('opens the window at the probe the notification is about', () => {
    expect(notificationTarget({ title: 'Certificate expires in 7 days', body: '…', probeId: 'certificate' })).toEqual({ to: 'probe', probeId: 'certificate' });
  });

  it('opens the overview for a notification about no probe in particular', () => {
    expect(notificationTarget({ title: 'All is well again', body: '…' })).toEqual({ to: 'overview' });
  });

  it('never routes to something that is not a probe id', () => {
    expect(notificationTarget({ title: 't', body: 'b', probeId: '../../etc' })).toEqual({ to: 'overview' });
    expect(notificationTarget({ title: 't', body: 'b', probeId: '' })).toEqual({ to: 'overview' });
  });
});

describe('notifications', () => {
  beforeEach(() => {
    FakeNotification.shown = [];
    FakeNotification.supported = true;
  });

  it('shows the title and body and opens the window at the probe on click', () => {
    const opened: Navigation[] = [];
    const notifier = setupNotifications(electron, { iconPath: '/assets/icon.png', open: (to) => opened.push(to) });
    notifier.show({ title: 'RDP certificate has expired', body: 'People cannot connect until it is renewed.', probeId: 'certificate' });
    const toast = FakeNotification.shown[0]!;
    expect(toast.options).toEqual({ title: 'RDP certificate has expired', body: 'People cannot connect until it is renewed.', icon: '/assets/icon.png' });
    expect(opened).toEqual([]);
    toast.emit('click');
    expect(opened).toEqual([{ to: 'probe', probeId: 'certificate' }]);
  });

  it('shows nothing where the system has no notifications', () => {
    FakeNotification.supported = false;
    setupNotifications(electron, { iconPath: '/i.png', open: () => {} }).show({ title: 't', body: 'b' });
    expect(FakeNotification.shown).toEqual([]);
  });
});
