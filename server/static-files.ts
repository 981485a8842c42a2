// The built app on the receiver's origin: its files, the shell for the app's own routes, and the
// preset new devices read when the county has none of its own.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { decoded, HttpError, send } from './http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

/** A preset pointing new devices at this receiver, as reached (behind a TLS proxy: X-Forwarded-Proto). */
function defaultPreset(request: IncomingMessage, preset: Record<string, unknown> = {}) {
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  const protocol =
    (request.headers['x-forwarded-proto'] as string | undefined) ?? (encrypted ? 'https' : 'http');
  const endpoint = `${protocol}://${request.headers.host}/api/v1`;
  return { ...preset, sync: { endpoint, adapter: 'native', ...(preset.sync as object) } };
}

/** Serves the files under `staticDir` (none: everything is a 404). */
export function staticFiles(staticDir: string | undefined, preset?: Record<string, unknown>) {
  return async function serveStatic(url: URL, request: IncomingMessage, response: ServerResponse) {
    if (!staticDir) throw new HttpError(404, 'not found');
    const root = resolve(staticDir);
    const path = normalize(decoded(url.pathname));
    const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (!file.startsWith(`${root}${sep}`)) throw new HttpError(404, 'not found');
    let content: Buffer;
    let served = file;
    try {
      content = await readFile(file);
    } catch {
      // Without a county's own config.json, new devices are preset to sync here.
      if (path === '/config.json') return send(response, 200, defaultPreset(request, preset));
      // An app route (no file extension) gets the shell; a missing asset is a real 404.
      if (extname(path) !== '') throw new HttpError(404, 'not found');
      served = join(root, 'index.html');
      content = await readFile(served);
    }
    const immutable = served.startsWith(join(root, 'assets', sep));
    response.writeHead(200, {
      'content-type': TYPES[extname(served)] ?? 'application/octet-stream',
      // Hashed assets never change; the shell and the worker must be checked on every load.
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(content);
  };
}
