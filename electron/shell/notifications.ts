/**
 * Desktop notifications from the agent's notification policy. Clicking one opens the window at
 * the probe it is about; where a click leads is a pure function (notificationTarget), tested.
 */
import type { Navigation } from '../contract.js';

/** What the agent emits (electron/agent: on('notification')), as far as the shell reads it. */
export interface AgentNotificationLike {
  title: string;
  body: string;
  probeId?: string | undefined;
}

const PROBE_ID = /^[a-z0-9-]{1,64}$/;

export function notificationTarget(notification: AgentNotificationLike): Navigation {
  const probeId = notification.probeId;
  return probeId && PROBE_ID.test(probeId) ? { to: 'probe', probeId } : { to: 'overview' };
}

export interface NotificationElectron {
  Notification: (new (options: { title: string; body: string; icon?: string; silent?: boolean }) => NotificationHandle) & { isSupported(): boolean };
}

export interface NotificationHandle {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export function setupNotifications(
  electron: NotificationElectron,
  options: { iconPath: string; open: (to: Navigation) => void },
): { show(notification: AgentNotificationLike): void } {
  // Keep shown notifications referenced: a collected Notification loses its click handler.
  const live = new Set<NotificationHandle>();
  return {
    show(notification) {
      if (!electron.Notification.isSupported()) return;
      const toast = new electron.Notification({ title: notification.title, body: notification.body, icon: options.iconPath });
      live.add(toast);
      toast.on('click', () => {
        live.delete(toast);
        options.open(notificationTarget(notification));
      });
      toast.on('close', () => live.delete(toast));
      toast.show();
    },
  };
}
