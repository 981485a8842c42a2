// Starts the reference receiver from its settings (the environment's variables): HTTP, or HTTPS
// with a certificate and key; stop() finishes the requests in flight, then closes the file.
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { CLOCK, IsolationSettings, Quota } from '../src/domain/config';
import { DAY_MS } from '../src/domain/day';
import { identifier } from '../src/domain/fields';
import { contentSecurityPolicy } from './csp';
import { createReceiver } from './receiver';
import { openStore, type Store } from './store';

/** Where devices served from here may upload: the preset's endpoint and KADIAN_CONNECT_SRC. */
function connectSources(
  env: Record<string, string | undefined>,
  preset: { sync?: { endpoint?: unknown } } | undefined,
): string[] {
  const endpoint = preset?.sync?.endpoint;
  const origin =
    typeof endpoint === 'string' && URL.canParse(endpoint) ? new URL(endpoint).origin : undefined;
  const extra = (env.KADIAN_CONNECT_SRC ?? '').split(/[\s,]+/).filter(Boolean);
  return [...(origin ? [origin] : []), ...extra];
}

const name = z.optional(z.string().check(z.minLength(1), z.maxLength(50)));

/**
 * The registry file: every checkpoint expected to report, with its place in the chain (and the
 * courtyard's id, which the office's passes name, so a gate set up by picking it accepts them).
 */
const Registry = z.array(
  z.strictObject({
    id: identifier,
    name,
    county: name,
    township: name,
    community: name,
    courtyard: name,
    courtyardId: z.optional(identifier),
  }),
);
type Registry = z.infer<typeof Registry>;

/** The registry as the list a volunteer setting a device up by hand picks from, by name. */
function presetCheckpoints(registry: Registry) {
  return registry.map(({ id, name, county, township, community, courtyard, courtyardId }) => ({
    id,
    name: name ?? id,
    ...(county &&
      township &&
      community &&
      courtyard &&
      courtyardId && {
        place: {
          county: { name: county },
          township: { name: township },
          community: { name: community },
          courtyard: { id: courtyardId, name: courtyard },
        },
      }),
  }));
}

/** KADIAN_REPORT_DEADLINE: "HH:MM", 20:00 when unset. */
function reportDeadlineOf(text: string | undefined): string {
  if (text === undefined) return '20:00';
  if (!CLOCK.test(text)) throw new Error('KADIAN_REPORT_DEADLINE must be a time such as 20:00');
  return text;
}

/** How long nothing new must arrive, once stopping, before the listener closes (ms). */
const QUIET_MS = 200;

export interface Running {
  url: string;
  store: Store;
  server: Server;
  /** Stops accepting, lets requests in flight finish (at most `graceMs`), then closes the database. */
  stop(graceMs?: number): Promise<void>;
  /** The purge started with the receiver (it runs while the receiver answers). */
  purged: Promise<void>;
}

export async function serve(env: Record<string, string | undefined>): Promise<Running> {
  const store = await openStore(env);
  const registry = env.KADIAN_REGISTRY
    ? Registry.parse(JSON.parse(readFileSync(env.KADIAN_REGISTRY, 'utf8')))
    : [];
  await store.registerCheckpoints(registry.map(({ courtyardId: _, ...checkpoint }) => checkpoint));
  const presetFile = env.KADIAN_PRESET
    ? (JSON.parse(readFileSync(env.KADIAN_PRESET, 'utf8')) as {
        rules?: { quota?: unknown; isolation?: unknown };
        sync?: { endpoint?: unknown };
      })
    : undefined;
  // New devices served from here pick their checkpoint from the registry, unless the preset lists its own.
  const preset =
    registry.length > 0 ? { checkpoints: presetCheckpoints(registry), ...presetFile } : presetFile;
  const presetQuota =
    preset?.rules?.quota === undefined ? undefined : Quota.parse(preset.rules.quota);
  const handle = createReceiver({
    store,
    staticDir: resolve(env.KADIAN_STATIC ?? 'dist'),
    corsOrigins: (env.KADIAN_CORS_ORIGINS ?? '').split(',').filter(Boolean),
    bodyLimitBytes: Number(env.KADIAN_BODY_LIMIT ?? 5 * 1024 * 1024),
    preset,
    quota: presetQuota,
    contentSecurityPolicy: contentSecurityPolicy(connectSources(env, preset)),
    stopping: () => stopping,
    silentAfterMinutes: Number(env.KADIAN_SILENT_MINUTES ?? 60),
    reportDeadline: reportDeadlineOf(env.KADIAN_REPORT_DEADLINE),
    ...(preset?.rules?.isolation !== undefined && {
      isolation: IsolationSettings.parse(preset.rules.isolation),
    }),
  });
  // With a quota, every exit's window is counted for it (again, if the quota changed) while the
  // receiver answers; those arriving later are counted as they arrive.
  const counting = (
    presetQuota ? store.figures.windowFor(presetQuota.days) : Promise.resolve()
  ).catch((error) => console.error('counting the exits for the quota failed', error));
  // Personal data is masked once it is older than the receiver's own retention, at start (while
  // the receiver already answers) and daily; a stop lets the chunk in hand finish.
  const purgeDays = Number(env.KADIAN_PURGE_DAYS ?? 28);
  let purgeRun = Promise.resolve();
  const purge = () => {
    purgeRun = purgeRun
      .then(async () => {
        await store.purgePersonalData(Date.now() - purgeDays * DAY_MS, () => stopping);
        if (!stopping) await store.audit.purge(Date.now());
      })
      .catch((error) => console.error('purge failed', error));
    return purgeRun;
  };
  const purging = setInterval(purge, DAY_MS).unref();
  // Stopping: every answer closes its connection, so a kept-alive socket ends after its request
  // (and the live alert streams end theirs).
  let stopping = false;
  let lastActivity = 0;
  const serveRequest: typeof handle = (request, response) => {
    lastActivity = Date.now();
    if (stopping) response.setHeader('connection', 'close');
    return handle(request, response);
  };
  const tls = env.KADIAN_TLS_CERT && env.KADIAN_TLS_KEY;
  const server: Server = tls
    ? createHttps(
        {
          cert: readFileSync(env.KADIAN_TLS_CERT ?? ''),
          key: readFileSync(env.KADIAN_TLS_KEY ?? ''),
        },
        serveRequest,
      )
    : createHttp(serveRequest);
  server.on('connection', () => {
    lastActivity = Date.now();
  });
  await new Promise<void>((done) =>
    server.listen(Number(env.PORT ?? 8080), env.HOST ?? '127.0.0.1', done),
  );
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://${address}:${port}/`,
    store,
    server,
    purged: purge(),
    async stop(graceMs = 10_000) {
      stopping = true;
      const started = Date.now();
      // Connections the kernel accepted before the stop, and requests already sent on kept-alive
      // ones, are still taken and answered: the listener closes once nothing new has arrived for
      // a moment (at most half the grace).
      while (Date.now() - lastActivity < QUIET_MS && Date.now() - started < graceMs / 2)
        await new Promise((resume) => setTimeout(resume, QUIET_MS / 4));
      await new Promise<void>((done) => {
        // A batch in flight either commits or does not; its answer is sent before the file closes.
        // Connections go idle as their answers are sent: close them as they do.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(
          () => server.closeAllConnections(),
          Math.max(0, graceMs - (Date.now() - started)),
        );
        server.close(async () => {
          clearInterval(sweep);
          clearInterval(purging);
          clearTimeout(deadline);
          await purgeRun;
          await counting;
          await store.close();
          done();
        });
        server.closeIdleConnections();
      });
    },
  };
}
