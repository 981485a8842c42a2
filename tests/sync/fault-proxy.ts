import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  key?: string;
  authorization?: string;
  bodyHash: string;
  body: string;
}

/** What the proxy does with one request. */
export type Fault =
  | 'pass'
  /** Cut the connection before forwarding: the receiver never sees the request. */
  | 'drop'
  /** Forward, let the receiver commit, then cut the connection before any answer. */
  | 'drop-after-commit'
  /** Forward, let the receiver commit, then answer 500. */
  | 'fail-after-commit'
  /** Never answer (the client's timeout must fire). */
  | 'hang'
  | { status: number; headers?: Record<string, string>; body?: string };

const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

/**
 * An HTTP proxy on 127.0.0.1 in front of a receiver, injecting the faults a plan picks per
 * request, and remembering every request it saw.
 */
export async function startFaultProxy(target: string, plan: (seen: Seen, index: number) => Fault) {
  const seen: Seen[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer(
    async (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const entry: Seen = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        key: request.headers['idempotency-key'] as string | undefined,
        authorization: request.headers.authorization,
        bodyHash: createHash('sha256').update(body).digest('hex'),
        body,
      };
      const origin = request.headers.origin;
      // A browser must be able to read an injected status, so it carries CORS headers too.
      const cors: Record<string, string> = origin
        ? {
            'access-control-allow-origin': origin,
            'access-control-expose-headers': 'Date, Retry-After',
          }
        : {};
      // Preflights always reach the receiver, which decides CORS; only real requests meet faults.
      const fault = request.method === 'OPTIONS' ? 'pass' : plan(entry, seen.push(entry) - 1);
      if (fault === 'hang') {
        hanging.add(response);
        return;
      }
      if (fault === 'drop') return void response.socket?.destroy();
      if (typeof fault === 'object') {
        response.writeHead(fault.status, { ...cors, ...fault.headers });
        return void response.end(fault.body ?? '');
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      const upstream = await fetch(`${target}${request.url}`, {
        method: request.method,
        headers,
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : body,
      });
      const text = await upstream.text();
      if (fault === 'drop-after-commit') return void response.socket?.destroy();
      if (fault === 'fail-after-commit') {
        response.writeHead(500, { ...cors, 'content-type': 'text/plain' });
        return void response.end('Internal Server Error');
      }
      const passHeaders: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (name !== 'content-length' && name !== 'connection' && name !== 'keep-alive')
          passHeaders[name] = value;
      });
      response.writeHead(upstream.status, passHeaders);
      response.end(text);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    seen,
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      for (const response of hanging) response.socket?.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
