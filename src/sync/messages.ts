import * as z from 'zod/mini';

/** Every message the page sends the service worker, validated on arrival. */
export const PageToWorker = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('SKIP_WAITING') }),
  /** The page is going to the background: the worker, which outlives it, uploads what is pending. */
  z.strictObject({ type: z.literal('SYNC') }),
]);
export type PageToWorker = z.infer<typeof PageToWorker>;

/** The Background Sync tag the page registers after a write; the worker syncs when it fires. */
export const SYNC_TAG = 'kadian-sync';
