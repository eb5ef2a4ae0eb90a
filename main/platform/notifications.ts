import { Notification } from 'electron';

/** Desktop notifications for events a user should see even when the window is hidden. */
export function notify(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body, silent: true }).show();
}
