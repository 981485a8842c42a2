import { useEffect, useState } from 'preact/hooks';

/** The screens in the tab bar, in its order. */
export const ROUTES = ['gate', 'visitors', 'log', 'report', 'sync', 'settings'] as const;
/** Every screen: the tabs, and the office (reached from settings). */
export type Route = (typeof ROUTES)[number] | 'office';

const fromHash = (): Route => {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) || name === 'office'
    ? (name as Route)
    : 'gate';
};

/** The screen named in the URL's hash (#/gate, #/visitors, …); hash routes need no server help offline. */
export function useRoute(): Route {
  const [route, setRoute] = useState(fromHash);
  useEffect(() => {
    const onChange = () => setRoute(fromHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
