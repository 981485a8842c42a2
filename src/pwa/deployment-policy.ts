// The Content-Security-Policies this page runs under, to tell a volunteer when the deployment does
// not let the app reach an upload address (the browser blocks it and says only "failed to fetch").
import { connectAllowed } from '../domain/connect-policy';

/** The page's <meta> policy and the one the server sends with it (asked again; none offline). */
async function pagePolicies(): Promise<string[]> {
  const meta = document
    .querySelector('meta[http-equiv="Content-Security-Policy"]')
    ?.getAttribute('content');
  // HEAD is not served from the precache: this asks the server itself.
  const header = await fetch(window.location.pathname, { method: 'HEAD', cache: 'no-store' }).then(
    (response) => response.headers.get('content-security-policy'),
    () => null,
  );
  return [meta, header].filter((policy): policy is string => !!policy);
}

/** Whether this deployment lets the app upload to `endpoint`. */
export async function endpointAllowed(endpoint: string): Promise<boolean> {
  return connectAllowed(await pagePolicies(), endpoint, window.location.href);
}
