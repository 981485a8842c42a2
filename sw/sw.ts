// The service worker: precaches the app shell and the scanner chunk so the app starts with no
// network after one visit, syncs on Background Sync and when a page asks, and takes the page's
// messages. Each event is wired to a named function.
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { handleMessage } from './messages';
import { handleSync } from './sync';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Every page of the app is its shell, offline too; the receiver's API and its own pages for
// viewers (same origin when it serves the app) go to the network.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/^\/api\//, /^\/view\//],
  }),
);
clientsClaim();
self.addEventListener('message', (event) => handleMessage(self, event));
self.addEventListener('sync', handleSync);
