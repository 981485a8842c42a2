import { useEffect, useState } from 'preact/hooks';

/** The screens in the tab bar, in its order. */
export const ROUTES = [
  'gate',
  'visitors',
  'isolation',
  'log',
  'report',
  'sync',
  'settings',
] as const;
/** Every screen: the tabs, and the office (reached from settings). */
export type Route = (typeof ROUTES)[number] | 'office';

/** The hash's parts: #/isolation/new/123 is ['isolation', 'new', '123']. */
const hashParts = () => window.location.hash.replace(/^#\/?/, '').split('/');

/** The URL's hash in parts, kept current; hash routes need no server help offline. */
export function useHashParts(): string[] {
  const [parts, setParts] = useState(hashParts);
  useEffect(() => {
    const onChange = () => setParts(hashParts());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parts;
}

/** The screen named in the URL's hash (#/gate, #/visitors, …). */
export function useRoute(): Route {
  const [name = ''] = useHashParts();
  return (ROUTES as readonly string[]).includes(name) || name === 'office'
    ? (name as Route)
    : 'gate';
}
