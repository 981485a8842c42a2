// Home isolation over HTTP: a checkpoint's devices pull the records of the isolations it follows
// (made on its other devices or in the office) by cursor. See docs/receiver.md ("Home isolation").
import type { IncomingMessage } from 'node:http';
import type { Action, Principal } from './access';
import { cursorOf, send } from './http';
import { router } from './routes';
import type { Store } from './store';

/** Records a pull answers at most; the device asks again from the cursor until none are left. */
const PAGE = 500;

export interface IsolationRoutesOptions {
  store: Store;
  /** The holder of the request's token, if it may do one of `actions` (401 or 403 otherwise). */
  allowed: (request: IncomingMessage, page: boolean, actions: Action[]) => Promise<Principal>;
}

export function isolationRoutes({ store, allowed }: IsolationRoutesOptions) {
  return router([
    {
      method: 'GET',
      path: '/api/v1/isolations',
      handle: async ({ url, request, response }) => {
        const principal = await allowed(request, false, ['upload']);
        // A gate pulls its checkpoint's; the office (which starts isolations for its gates) all.
        const checkpointId =
          principal.role === 'device' ? (principal.checkpointId ?? '') : undefined;
        send(response, 200, await store.isolations.since(checkpointId, cursorOf(url), PAGE));
      },
    },
  ]);
}
