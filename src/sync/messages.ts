import * as z from 'zod/mini';

/** Every message the page sends the service worker, validated on arrival. */
export const PageToWorker = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('SKIP_WAITING') }),
]);
export type PageToWorker = z.infer<typeof PageToWorker>;
