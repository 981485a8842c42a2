import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs } from '../../src/sync/backoff';
import { classifyFailure } from '../../src/sync/http';
import { readNativeResults } from '../../src/sync/native';

describe('backoffDelay', () => {
  it.each([
    [1, 0, 500],
    [1, 1, 1000],
    [2, 0.5, 1500],
    [3, 1, 4000],
    [9, 1, 256_000],
    [10, 1, 300_000],
    [30, 0, 150_000],
  ])(
    'failure %i with jitter %s waits %i ms (base 1 s, cap 300 s)',
    (failures, random, expected) => {
      expect(backoffDelay(failures, 1000, 300_000, random)).toBe(expected);
    },
  );
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Sun, 29 Nov 2026 12:00:30 GMT', 30_000],
    ['Sun, 29 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%j → %s', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});

describe('classifyFailure', () => {
  const at = (status: number, headers: Record<string, string> = {}) =>
    classifyFailure(
      new Response(status === 204 || status === 304 ? null : 'x', { status, headers }),
      0,
    );
  it.each([
    [200, undefined],
    [201, undefined],
    [301, { kind: 'backoff', problem: 'redirect', status: 301 }],
    [302, { kind: 'backoff', problem: 'redirect', status: 302 }],
    [400, { kind: 'split', status: 400, error: 'HTTP 400' }],
    [422, { kind: 'split', status: 422, error: 'HTTP 422' }],
    [401, { kind: 'pause', problem: 'unauthorized', status: 401 }],
    [403, { kind: 'pause', problem: 'configuration', status: 403 }],
    [404, { kind: 'pause', problem: 'configuration', status: 404 }],
    [405, { kind: 'pause', problem: 'configuration', status: 405 }],
    [408, { kind: 'backoff', problem: 'server-error', status: 408 }],
    [409, { kind: 'later', problem: 'busy', status: 409 }],
    [413, { kind: 'too-large', status: 413 }],
    [429, { kind: 'later', problem: 'rate-limited', status: 429, retryAfterMs: undefined }],
    [500, { kind: 'backoff', problem: 'server-error', status: 500 }],
    [503, { kind: 'later', problem: 'rate-limited', status: 503, retryAfterMs: undefined }],
  ])('HTTP %i → %j', (status, expected) => {
    const outcome = at(status);
    if (outcome) delete outcome.serverDate;
    expect(outcome).toEqual(expected);
  });

  it('reads Retry-After and the server clock', () => {
    expect(at(429, { 'retry-after': '30', date: 'Sun, 29 Nov 2026 12:00:00 GMT' })).toEqual({
      kind: 'later',
      problem: 'rate-limited',
      status: 429,
      retryAfterMs: 30_000,
      serverDate: Date.parse('2026-11-29T12:00:00Z'),
    });
  });
});

describe('readNativeResults', () => {
  const ids = ['a', 'b'];
  it('maps results to the ids sent, in their order', () => {
    const body = JSON.stringify({
      results: [
        { id: 'b', status: 'rejected', error: 'data.celsius: temperature-range' },
        { id: 'a', status: 'duplicate' },
      ],
    });
    expect(readNativeResults(body, ids)).toEqual([
      { id: 'a', status: 'duplicate' },
      { id: 'b', status: 'rejected', error: 'data.celsius: temperature-range' },
    ]);
  });
  it.each([
    ['an HTML page', '<!doctype html><p>请登录</p>'],
    ['results missing an id', '{"results":[{"id":"a","status":"accepted"}]}'],
    ['an unknown status', '{"results":[{"id":"a","status":"ok"},{"id":"b","status":"ok"}]}'],
    ['no results', '{"ok":true}'],
    ['empty', ''],
  ])('is not a success for %s', (_, body) => {
    expect(readNativeResults(body, ids)).toBeUndefined();
  });
});
