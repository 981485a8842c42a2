// Starts the reference receiver: reads its settings from the environment, serves HTTP (or HTTPS
// with a certificate and key), and shuts down gracefully on SIGINT/SIGTERM.
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { dirname, resolve } from 'node:path';
import { createReceiver } from './receiver';
import { Store } from './store';

const env = process.env;
const host = env.HOST ?? '127.0.0.1';
const port = Number(env.PORT ?? 8080);
const dbFile = resolve(env.KADIAN_DB ?? 'data/kadian.sqlite');
mkdirSync(dirname(dbFile), { recursive: true });

const store = new Store(dbFile);
const handle = createReceiver({
  store,
  staticDir: resolve(env.KADIAN_STATIC ?? 'dist'),
  corsOrigins: (env.KADIAN_CORS_ORIGINS ?? '').split(',').filter(Boolean),
  bodyLimitBytes: Number(env.KADIAN_BODY_LIMIT ?? 5 * 1024 * 1024),
  preset: env.KADIAN_PRESET ? JSON.parse(readFileSync(env.KADIAN_PRESET, 'utf8')) : undefined,
});

const tls = env.KADIAN_TLS_CERT && env.KADIAN_TLS_KEY;
const server = tls
  ? createHttps(
      {
        cert: readFileSync(env.KADIAN_TLS_CERT ?? ''),
        key: readFileSync(env.KADIAN_TLS_KEY ?? ''),
      },
      handle,
    )
  : createHttp(handle);

server.listen(port, host, () => {
  console.log(`Kadian receiver: ${tls ? 'https' : 'http'}://${host}:${port}/ (database ${dbFile})`);
  if (store.isOpen()) {
    console.warn(
      '\n*** NO DEVICE TOKENS: this receiver accepts records from anyone who can reach it. ***\n' +
        '*** Create one with: npm run tokens -- create <device-label>                       ***\n',
    );
  }
});

function shutdown(signal: string) {
  console.log(`${signal}: finishing requests in progress, then stopping`);
  // Stop accepting; requests in flight finish (their batches commit or do not), then the file closes.
  server.close(() => {
    store.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 10_000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
