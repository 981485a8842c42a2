import { PageToWorker } from '../src/sync/messages';
import { syncNowFromPage } from './sync';

/** Acts on a page's message; anything that is not a known message is ignored. */
export function handleMessage(
  worker: ServiceWorkerGlobalScope,
  event: ExtendableMessageEvent,
): void {
  const message = PageToWorker.safeParse(event.data);
  if (!message.success) return;
  switch (message.data.type) {
    case 'SKIP_WAITING':
      // The page asks only when the volunteer chose to update; records are in IndexedDB, untouched.
      void worker.skipWaiting();
      break;
    case 'SYNC_NOW':
      event.waitUntil(syncNowFromPage());
      break;
  }
}
