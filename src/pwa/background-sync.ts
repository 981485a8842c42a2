import { SYNC_TAG } from '../sync/messages';

/**
 * Asks the browser to wake the service worker for a sync once it is online, even if every tab is
 * closed by then. Only Chromium has Background Sync; elsewhere the page's own triggers do the work.
 */
export async function requestBackgroundSync(): Promise<void> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  try {
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      sync?: { register(tag: string): Promise<void> };
    };
    await registration.sync?.register(SYNC_TAG);
  } catch {
    // Not allowed (e.g. no permission): the page syncs while it is open.
  }
}
