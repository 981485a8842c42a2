import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../server/serve';
import { Preset } from '../../src/domain/config';

let dir: string;
let running: Running | undefined;
afterEach(async () => {
  await running?.stop(0);
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function httpsGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The test's certificate is self-signed: trust it for this request only.
    request(url, { rejectUnauthorized: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('serve', () => {
  it('serves HTTPS when given a certificate and key', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kadian-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      {
        stdio: 'ignore',
      },
    );
    running = await serve({
      PORT: '0',
      KADIAN_DB: join(dir, 'db.sqlite'),
      KADIAN_TLS_CERT: cert,
      KADIAN_TLS_KEY: key,
      KADIAN_STATIC: dir,
    });
    expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const answer = await httpsGet(`${running.url}api/v1/revocations?since=0`);
    expect(answer).toEqual({ status: 200, body: '{"revocations":[],"next":0}' });
  });

  it('sends a Content-Security-Policy whose uploads go only to itself and its configured endpoints', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kadian-csp-'));
    const preset = join(dir, 'preset.json');
    writeFileSync(
      preset,
      JSON.stringify({ sync: { endpoint: 'https://report.example.cn/api/v1' } }),
    );
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>卡点</title>');
    running = await serve({
      PORT: '0',
      KADIAN_DB: join(dir, 'db.sqlite'),
      KADIAN_STATIC: dir,
      KADIAN_PRESET: preset,
      KADIAN_CONNECT_SRC: 'https://couch.example.cn:6984, http://127.0.0.1:*',
    });
    const shell = await fetch(running.url);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
        "font-src 'self'; connect-src 'self' https://report.example.cn https://couch.example.cn:6984 " +
        "http://127.0.0.1:*; worker-src 'self'; manifest-src 'self'; media-src 'self' blob:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(shell.headers.get('x-content-type-options')).toBe('nosniff');
    // Cross-origin isolated: no other site's window keeps a hold on the app's, and no-cors
    // requests (the probe of whether an endpoint is back) go without credentials.
    expect(shell.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(shell.headers.get('cross-origin-embedder-policy')).toBe('credentialless');
    const api = await fetch(`${running.url}api/v1/revocations?since=0`);
    expect(api.headers.get('content-security-policy')).toContain("connect-src 'self'");
  });

  it("offers new devices the registry's checkpoints by name, with their places where complete", async () => {
    dir = mkdtempSync(join(tmpdir(), 'kadian-registry-'));
    const registry = join(dir, 'registry.json');
    writeFileSync(
      registry,
      JSON.stringify([
        {
          id: 'lj-03',
          name: '龙阳小区北门',
          county: '汉寿县',
          township: '龙阳街道',
          community: '东岳社区',
          courtyard: '龙阳小区',
          courtyardId: 'ly-xq',
        },
        { id: 'zj-01', name: '詹家小区东门', county: '汉寿县', courtyard: '詹家小区' },
        { id: 'xx-7' },
      ]),
    );
    running = await serve({
      PORT: '0',
      KADIAN_DB: join(dir, 'db.sqlite'),
      KADIAN_STATIC: dir,
      KADIAN_REGISTRY: registry,
    });
    const preset = await (await fetch(`${running.url}config.json`)).json();
    expect(preset).toEqual({
      checkpoints: [
        {
          id: 'lj-03',
          name: '龙阳小区北门',
          place: {
            county: { name: '汉寿县' },
            township: { name: '龙阳街道' },
            community: { name: '东岳社区' },
            courtyard: { id: 'ly-xq', name: '龙阳小区' },
          },
        },
        { id: 'zj-01', name: '詹家小区东门' },
        { id: 'xx-7', name: 'xx-7' },
      ],
      sync: { endpoint: `${running.url}api/v1`, adapter: 'native' },
    });
    // What the app reads as its preset: the same list, valid as it is.
    expect(Preset.safeParse(preset).success).toBe(true);
    expect((await running.store.knownCheckpoints()).map((checkpoint) => checkpoint.id)).toEqual([
      'lj-03',
      'zj-01',
      'xx-7',
    ]);
  });

  it('lets a batch in flight finish and be answered before it stops', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kadian-stop-'));
    running = await serve({ PORT: '0', KADIAN_DB: join(dir, 'db.sqlite'), KADIAN_STATIC: dir });
    const endpoint = `${running.url}api/v1/batches`;
    // A slow upload: the headers arrive, the body only after stop() has begun.
    const body = JSON.stringify({ deviceId: 'dev-1', batchId: 'k1', frozenAt: 1, records: [] });
    let release: () => void = () => {};
    const stream = new ReadableStream({
      start(controller) {
        release = () => {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        };
      },
    });
    const answer = fetch(endpoint, {
      method: 'POST',
      headers: { 'idempotency-key': 'k1', 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    // The upload's connection is open (its body still to come) before the stop begins.
    const server = running.server;
    const connections = () =>
      new Promise<number>((done) => server.getConnections((_, count) => done(count)));
    await expect.poll(connections).toBe(1);
    const stopped = running.stop();
    release();
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ results: [] });
    await stopped;
    running = undefined;
    await expect(fetch(endpoint)).rejects.toThrow();
  });

  it('answers every request already sent when the stop begins, on new and kept-alive connections', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kadian-stop-load-'));
    running = await serve({ PORT: '0', KADIAN_DB: join(dir, 'db.sqlite'), KADIAN_STATIC: dir });
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const url = new URL(`${running.url}api/v1/batches`);
    const post = (key: string) =>
      new Promise<number>((resolve) => {
        const body = JSON.stringify({ deviceId: 'dev-1', batchId: key, frozenAt: 1, records: [] });
        const sent = httpRequest(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'idempotency-key': key, 'content-type': 'application/json' },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        sent.on('error', () => resolve(0));
        sent.end(body);
      });
    // Warm the pool: 50 kept-alive connections, idle when the stop begins.
    expect(await Promise.all(Array.from({ length: 50 }, (_, i) => post(`warm-${i}`)))).toEqual(
      Array(50).fill(200),
    );
    const answers = Promise.all(Array.from({ length: 100 }, (_, i) => post(`load-${i}`)));
    await new Promise((resolve) => setImmediate(resolve));
    await running.stop();
    running = undefined;
    expect(await answers).toEqual(Array(100).fill(200));
    agent.destroy();
  });
});
