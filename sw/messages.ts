import { PageToWorker } from '../src/sync/messages';
import { syncFromPage } from './sync';

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
    case 'SYNC':
      // The answer goes back through the message's port (workbox-window's messageSW waits for it).
      event.waitUntil(syncFromPage().then((result) => event.ports[0]?.postMessage({ result })));
      break;
  }
}
