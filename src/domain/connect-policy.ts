// Whether a Content-Security-Policy lets the app upload to an address (its connect-src, else its
// default-src), by CSP Level 3's source matching for what the deployments use: 'self', '*',
// schemes (https:), and hosts with an optional scheme, wildcard subdomain and port. Pure.

const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([head]) => head?.toLowerCase() === name)
    ?.slice(1);

const defaultPort = (protocol: string) => (protocol === 'https:' ? '443' : '80');

/** True when `source` (one token of a source list) allows `url`, seen from a page at `self`. */
function matches(source: string, url: URL, self: URL): boolean {
  const token = source.toLowerCase();
  if (token === "'self'") return url.origin === self.origin;
  if (token === '*') return url.protocol === 'http:' || url.protocol === 'https:';
  if (/^[a-z][a-z0-9+.-]*:$/.test(token))
    // https: allows only https; http: allows https too (an upgrade).
    return url.protocol === token || (token === 'http:' && url.protocol === 'https:');
  const parts = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^:/]+)(?::(\d+|\*))?(\/.*)?$/.exec(token);
  if (!parts) return false;
  const [, scheme, wildcard, host = '', port] = parts;
  const protocol = scheme ? `${scheme}:` : self.protocol;
  if (url.protocol !== protocol && !(protocol === 'http:' && url.protocol === 'https:'))
    return false;
  const hostname = url.hostname.toLowerCase();
  if (wildcard ? !hostname.endsWith(`.${host}`) : hostname !== host) return false;
  const urlPort = url.port || defaultPort(url.protocol);
  return port === '*' || urlPort === (port ?? defaultPort(protocol));
}

/**
 * Whether every policy given allows connecting to `endpoint` from a page at `self` (several
 * policies all apply: a header's and a <meta> one's). A policy without connect-src or default-src
 * allows anything; an address that is not a URL is not allowed.
 */
export function connectAllowed(policies: readonly string[], endpoint: string, self: string) {
  if (!URL.canParse(endpoint)) return false;
  const url = new URL(endpoint);
  const from = new URL(self);
  return policies.every((policy) => {
    const sources = directive(policy, 'connect-src') ?? directive(policy, 'default-src');
    return !sources || sources.some((source) => matches(source, url, from));
  });
}
