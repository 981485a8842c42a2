/**
 * Whether this deployment lets the app upload to `endpoint`. The check loads when asked (rarely,
 * on Settings and Upload): the gate's first screen stays small.
 */
export const allowedByDeployment = async (endpoint: string) =>
  (await import('../pwa/deployment-policy')).endpointAllowed(endpoint);
