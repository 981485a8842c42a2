import { useEffect, useState } from 'preact/hooks';

export const ROUTES = ['gate', 'visitors', 'log', 'sync', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

const fromHash = (): Route => {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'gate';
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
