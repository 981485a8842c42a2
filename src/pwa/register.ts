// Registers the service worker through workbox-window and reports when an update is waiting.
// Nothing reloads on its own: the volunteer chooses when, so no typing is interrupted.
import { Workbox } from 'workbox-window';
import type { PageToWorker } from '../sync/messages';

export interface PwaEvents {
  /** A new version is installed and waiting; call apply() to switch to it (the page reloads). */
  onUpdateReady: (apply: () => void) => void;
}

export function registerServiceWorker(events: PwaEvents): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  const workbox = new Workbox(`${import.meta.env.BASE_URL}sw.js`, {
    scope: import.meta.env.BASE_URL,
  });
  workbox.addEventListener('waiting', () => {
    events.onUpdateReady(() => {
      workbox.addEventListener('controlling', () => window.location.reload());
      const message: PageToWorker = { type: 'SKIP_WAITING' };
      workbox.messageSW(message);
    });
  });
  void workbox.register();
}
