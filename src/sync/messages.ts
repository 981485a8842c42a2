import * as z from 'zod/mini';

/** Every message the page sends the service worker, validated on arrival. */
export const PageToWorker = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('SKIP_WAITING') }),
  z.strictObject({ type: z.literal('SYNC_NOW') }),
]);
export type PageToWorker = z.infer<typeof PageToWorker>;

/** The Background Sync tag the page registers after a write; the worker syncs when it fires. */
export const SYNC_TAG = 'kadian-sync';
