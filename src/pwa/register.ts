// Registers the service worker through workbox-window and reports when an update is waiting.
// Nothing reloads on its own: the volunteer chooses when, so no typing is interrupted.
import { Workbox } from 'workbox-window';
import type { PageToWorker } from '../sync/messages';

export interface PwaEvents {
  /** A new version is installed and waiting; call apply() to switch to it (the page reloads). */
  onUpdateReady: (apply: () => void) => void;
}

let registered: Workbox | undefined;

/**
 * Hands the worker a message (src/sync/messages.ts); resolves with its answer, or undefined when
 * there is no worker (first visit, development, a browser without service workers).
 */
export function messageWorker(message: PageToWorker): Promise<unknown> {
  return registered ? registered.messageSW(message) : Promise.resolve(undefined);
}

export function registerServiceWorker(events: PwaEvents): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  const workbox = new Workbox(`${import.meta.env.BASE_URL}sw.js`, {
    scope: import.meta.env.BASE_URL,
  });
  workbox.addEventListener('waiting', () => {
    events.onUpdateReady(() => {
      workbox.addEventListener('controlling', () => window.location.reload());
      // Posts { type: 'SKIP_WAITING' } (src/sync/messages.ts) to the waiting worker itself: an update
      // found after the first registration is "external" to workbox-window, so messageSW would
      // reach the old worker instead.
      workbox.messageSkipWaiting();
    });
  });
  registered = workbox;
  void workbox.register();
}
