import { afterEach, describe, expect, it } from 'vitest';
import { readSyncStatus, rejectedRecords } from '../../src/db/outbox';
import { saveRecords } from '../../src/db/records';
import { syncOnce, WORKING_GRACE, WORKING_MS } from '../../src/sync/engine';
import { gateRecords, receiverBehind, syncDevice } from './device';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

describe('syncOnce against the reference receiver', () => {
  it('drains the outbox in batches, fevers first, and marks every record sent', async () => {
    const { receiver, proxy, endpoint } = await receiverBehind(stops, () => 'pass');
    const device = await syncDevice(endpoint, { batchSize: 100 });
    const records = gateRecords(250, { fevers: true });
    await device.add(records);
    expect(await syncOnce(device.env)).toBe('done');
    expect(await receiver.store.recordCount()).toBe(250);
    expect(await device.pending()).toBe(0);
    expect(new Set(await device.states())).toEqual(new Set(['sent']));
    const batches = proxy.seen.filter((request) => request.path === '/api/v1/batches');
    expect(batches.map((request) => JSON.parse(request.body).records.length)).toEqual([
      50, 100, 100,
    ]);
    expect(
      JSON.parse(batches[0]?.body ?? '{}').records.every(
        (record: { data: { fever: boolean } }) => record.data.fever,
      ),
    ).toBe(true);
    expect((await readSyncStatus(device.db)).lastSuccessAt).toBe(device.clock.now);
  });

  it('resends a batch byte-identical under its key after the server committed and answered 500', async () => {
    const { receiver, proxy, endpoint } = await receiverBehind(stops, (_, index) =>
      index === 0 ? 'fail-after-commit' : 'pass',
    );
    const device = await syncDevice(endpoint, { backoffBaseMs: 1000 });
    await device.add(gateRecords(10));
    expect(await syncOnce(device.env)).toBe('stopped');
    expect(await receiver.store.recordCount()).toBe(10);
    expect(await device.pending()).toBe(10);
    const status = await readSyncStatus(device.db);
    expect(status).toMatchObject({
      failures: 1,
      nextAttemptAt: device.clock.now + 750,
      lastProblem: { problem: 'server-error', status: 500 },
    });
    expect(await syncOnce(device.env)).toBe('waiting');

    device.clock.now += 750;
    expect(await syncOnce(device.env)).toBe('done');
    const [first, retry] = proxy.seen;
    expect(retry?.key).toBe(first?.key);
    expect(retry?.bodyHash).toBe(first?.bodyHash);
    expect(await receiver.store.recordCount()).toBe(10);
    expect(await device.pending()).toBe(0);
  });

  it('counts a connection dropped after the commit as a failure, and nothing doubles', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, (_, index) =>
      index === 0 ? 'drop-after-commit' : 'pass',
    );
    const device = await syncDevice(endpoint);
    await device.add(gateRecords(5));
    expect(await syncOnce(device.env)).toBe('stopped');
    expect((await readSyncStatus(device.db)).lastProblem?.problem).toBe('unreachable');
    expect(await syncOnce(device.env, { force: true })).toBe('done');
    expect(await receiver.store.recordCount()).toBe(5);
    expect(await device.pending()).toBe(0);
  });

  it.each([
    [
      'a captive portal’s HTML page answered 200',
      { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>登录</html>' },
      'invalid-answer',
    ],
    [
      'a redirect to a login page',
      { status: 302, headers: { location: 'http://portal.invalid/login' } },
      'redirect',
    ],
    [
      'JSON results that miss a record',
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"results":[]}' },
      'invalid-answer',
    ],
    ['a 502 from a gateway', { status: 502 }, 'server-error'],
    ['a 408', { status: 408 }, 'server-error'],
  ] as const)('marks nothing sent after %s', async (_, fault, problem) => {
    const { receiver, endpoint } = await receiverBehind(stops, () => fault);
    const device = await syncDevice(endpoint);
    await device.add(gateRecords(3));
    expect(await syncOnce(device.env)).toBe('stopped');
    expect(await device.pending()).toBe(3);
    expect(new Set(await device.states())).toEqual(new Set(['pending']));
    expect((await readSyncStatus(device.db)).lastProblem?.problem).toBe(problem);
    expect(await receiver.store.recordCount()).toBe(0);
  });

  it('gives up on a request that does not answer within the timeout', async () => {
    const { endpoint } = await receiverBehind(stops, () => 'hang');
    const device = await syncDevice(endpoint, { timeoutMs: 200 });
    await device.add(gateRecords(1));
    expect(await syncOnce(device.env)).toBe('stopped');
    expect((await readSyncStatus(device.db)).lastProblem?.problem).toBe('timeout');
  });

  it('waits as long as Retry-After says on 429 and 503', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, (_, index) =>
      index === 0
        ? { status: 429, headers: { 'retry-after': '7' } }
        : index === 1
          ? { status: 503 }
          : 'pass',
    );
    const device = await syncDevice(endpoint, { backoffBaseMs: 100 });
    await device.add(gateRecords(2));
    expect(await syncOnce(device.env)).toBe('stopped');
    expect((await readSyncStatus(device.db)).nextAttemptAt).toBe(device.clock.now + 7000);
    device.clock.now += 7000;
    expect(await syncOnce(device.env)).toBe('stopped');
    // No Retry-After: the backoff for a second failure, 2 · 100 ms with the jitter at its middle.
    expect((await readSyncStatus(device.db)).nextAttemptAt).toBe(device.clock.now + 150);
    device.clock.now += 150;
    expect(await syncOnce(device.env)).toBe('done');
    expect(await receiver.store.recordCount()).toBe(2);
  });

  it('pauses on 401 until the volunteer sets a token and syncs now', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, () => 'pass');
    const token = await receiver.store.createToken('dev-0001', 'device', 1);
    const device = await syncDevice(endpoint);
    await device.add(gateRecords(4));
    expect(await syncOnce(device.env)).toBe('paused');
    expect(await readSyncStatus(device.db)).toMatchObject({
      paused: 'unauthorized',
      lastProblem: { problem: 'unauthorized', status: 401 },
    });
    device.clock.now += 3_600_000;
    expect(await syncOnce(device.env)).toBe('paused');
    const config = await device.db.meta.get('config');
    const value = config?.value as { sync: object };
    await device.db.meta.put({
      key: 'config',
      value: { ...value, sync: { ...value.sync, token } },
    });
    expect(await syncOnce(device.env, { force: true })).toBe('done');
    expect(await receiver.store.recordCount()).toBe(4);
    expect((await readSyncStatus(device.db)).paused).toBeUndefined();
  });

  it.each([403, 404, 405])('pauses on %i as a configuration problem', async (status) => {
    const { endpoint } = await receiverBehind(stops, () => ({ status }));
    const device = await syncDevice(endpoint);
    await device.add(gateRecords(1));
    expect(await syncOnce(device.env)).toBe('paused');
    expect(await readSyncStatus(device.db)).toMatchObject({
      paused: 'configuration',
      lastProblem: { problem: 'configuration', status },
    });
  });

  it('splits a batch refused whole (400) until the bad record is alone, and rejects only it', async () => {
    const poison = 'poison-pill';
    const { receiver, proxy, endpoint } = await receiverBehind(stops, (seen) =>
      seen.body.includes(poison) ? { status: 400, body: 'bad record' } : 'pass',
    );
    const device = await syncDevice(endpoint, { batchSize: 8 });
    const records = gateRecords(8);
    const bad = { ...records[5], volunteer: { name: poison } } as (typeof records)[number];
    records[5] = bad;
    await device.add(records);
    expect(await syncOnce(device.env)).toBe('done');
    expect(await receiver.store.recordCount()).toBe(7);
    expect(await device.pending()).toBe(0);
    expect((await rejectedRecords(device.db)).map((row) => [row.record.id, row.error])).toEqual([
      [bad.id, 'HTTP 400'],
    ]);
    const keys = proxy.seen
      .filter((request) => request.path === '/api/v1/batches')
      .map((request) => request.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('halves batches on 413 and remembers the first size the endpoint accepts', async () => {
    const { receiver, proxy, endpoint } = await receiverBehind(stops, (seen) =>
      seen.body.length > 3000 ? { status: 413 } : 'pass',
    );
    const device = await syncDevice(endpoint, { batchSize: 16 });
    // About 330 bytes a record: 16 are too many for 3000 bytes, 8 fit.
    await device.add(gateRecords(40));
    expect(await syncOnce(device.env)).toBe('done');
    expect(await receiver.store.recordCount()).toBe(40);
    expect((await readSyncStatus(device.db)).batchSizeLimit).toBe(8);
    const batches = proxy.seen.filter((request) => request.path === '/api/v1/batches');
    const sizes = batches.map((request) => JSON.parse(request.body).records.length);
    expect(sizes).toEqual([16, 8, 8, 8, 8, 8]);
  });

  it('keeps the size it learnt from 413s when, later, one record alone is too large', async () => {
    const { receiver, proxy, endpoint } = await receiverBehind(stops, (seen) =>
      seen.body.length > 3000 ? { status: 413 } : 'pass',
    );
    const device = await syncDevice(endpoint, { batchSize: 16 });
    await device.add(gateRecords(16));
    expect(await syncOnce(device.env)).toBe('done');
    expect((await readSyncStatus(device.db)).batchSizeLimit).toBe(8);
    const records = gateRecords(16);
    const huge = {
      ...records[10],
      volunteer: { name: '大'.repeat(4000) },
    } as (typeof records)[number];
    records[10] = huge;
    await device.add(records);
    const before = proxy.seen.length;
    expect(await syncOnce(device.env)).toBe('done');
    expect(await receiver.store.recordCount()).toBe(31);
    expect((await readSyncStatus(device.db)).batchSizeLimit).toBe(8);
    // The next batches start from the learnt 8, not from 16 again.
    await device.add(gateRecords(16));
    const after = proxy.seen.length;
    expect(await syncOnce(device.env)).toBe('done');
    const sizes = (from: number, to?: number) =>
      proxy.seen
        .slice(from, to)
        .filter((request) => request.path === '/api/v1/batches')
        .map((request) => JSON.parse(request.body).records.length);
    expect(sizes(before, after)).toEqual([8, 8, 4, 4, 2, 2, 1, 1]);
    expect(sizes(after)).toEqual([8, 8]);
  });

  it('while the app is open, tries again within its open wait however long the backoff has grown', async () => {
    let down = true;
    const { receiver, endpoint } = await receiverBehind(stops, () =>
      down ? { status: 502 } : 'pass',
    );
    const device = await syncDevice(endpoint, { backoffBaseMs: 1000, openWaitMs: 15_000 });
    await device.add(gateRecords(3));
    for (let failure = 0; failure < 10; failure++) {
      if (failure > 0) device.clock.now = (await readSyncStatus(device.db)).nextAttemptAt ?? 0;
      expect(await syncOnce(device.env)).toBe('stopped');
    }
    const status = await readSyncStatus(device.db);
    expect(status.nextAttemptAt).toBe(device.clock.now + 225_000);
    down = false;
    device.clock.now += 14_999;
    expect(await syncOnce(device.env, { whileOpen: true })).toBe('waiting');
    // In the background the long wait holds.
    device.clock.now += 1;
    expect(await syncOnce(device.env)).toBe('waiting');
    expect(await syncOnce(device.env, { whileOpen: true })).toBe('done');
    expect(await receiver.store.recordCount()).toBe(3);
  });

  it('waits only the base after failures while the endpoint took a batch in the last minute, and backs off once it has not', async () => {
    let failing = false;
    const { receiver, endpoint } = await receiverBehind(stops, () =>
      failing ? 'fail-after-commit' : 'pass',
    );
    const device = await syncDevice(endpoint, { backoffBaseMs: 1000, batchSize: 5 });
    await device.add(gateRecords(5));
    expect(await syncOnce(device.env)).toBe('done');
    const tookAt = device.clock.now;
    failing = true;
    await device.add(gateRecords(5));
    // Failures in a row within the minute: the base's wait (750 ms with this jitter) until the
    // grace is used up, then growing from there.
    const waits: number[] = [];
    for (let failure = 1; failure <= WORKING_GRACE + 2; failure++) {
      expect(await syncOnce(device.env)).toBe('stopped');
      const status = await readSyncStatus(device.db);
      expect(status.failures).toBe(failure);
      waits.push((status.nextAttemptAt ?? 0) - device.clock.now);
      device.clock.now = status.nextAttemptAt ?? 0;
    }
    expect(waits).toEqual([750, 750, 750, 750, 750, 750, 750, 1500]);
    // A minute without a batch taken: the ninth failure in a row waits as the ninth does.
    device.clock.now = tookAt + WORKING_MS;
    expect(await syncOnce(device.env)).toBe('stopped');
    expect((await readSyncStatus(device.db)).nextAttemptAt).toBe(device.clock.now + 192_000);
    failing = false;
    device.clock.now += 192_000;
    expect(await syncOnce(device.env)).toBe('done');
    expect(await receiver.store.recordCount()).toBe(10);
  });

  it('starts the wait from its base again when the way is back (skipBackoff)', async () => {
    let down = true;
    const { endpoint } = await receiverBehind(stops, () => (down ? 'drop' : { status: 500 }));
    const device = await syncDevice(endpoint, { backoffBaseMs: 1000 });
    await device.add(gateRecords(3));
    for (let failure = 0; failure < 5; failure++) {
      if (failure > 0) device.clock.now = (await readSyncStatus(device.db)).nextAttemptAt ?? 0;
      await syncOnce(device.env);
    }
    expect((await readSyncStatus(device.db)).failures).toBe(5);
    down = false;
    expect(await syncOnce(device.env, { skipBackoff: true })).toBe('stopped');
    const status = await readSyncStatus(device.db);
    expect(status).toMatchObject({
      failures: 1,
      backAt: device.clock.now,
      lastProblem: { problem: 'server-error' },
    });
    expect(status.nextAttemptAt).toBe(device.clock.now + 750);
  });

  it('rejects one record too large alone, without shrinking every later batch to one', async () => {
    const limit = 3000;
    const { receiver, endpoint } = await receiverBehind(stops, (seen) =>
      seen.body.length > limit ? { status: 413 } : 'pass',
    );
    const device = await syncDevice(endpoint, { batchSize: 16 });
    const records = gateRecords(16);
    const huge = {
      ...records[2],
      volunteer: { name: '大'.repeat(4000) },
    } as (typeof records)[number];
    records[2] = huge;
    await device.add(records);
    expect(await syncOnce(device.env)).toBe('done');
    expect(await receiver.store.recordCount()).toBe(15);
    expect((await rejectedRecords(device.db)).map((row) => [row.record.id, row.error])).toEqual([
      [huge.id, 'HTTP 413: too large'],
    ]);
    expect((await readSyncStatus(device.db)).batchSizeLimit).toBeUndefined();
  });

  it('lets a record the receiver rejects not hold up the others, and keeps its reason', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, () => 'pass');
    const device = await syncDevice(endpoint);
    const records = gateRecords(3);
    const stale = {
      ...records[1],
      data: { ...records[1]?.data, celsius: 36.55 },
    } as (typeof records)[number];
    await saveRecords(device.db, [records[0], stale, records[2]] as typeof records);
    expect(await syncOnce(device.env)).toBe('done');
    expect(await receiver.store.recordCount()).toBe(2);
    expect((await rejectedRecords(device.db)).map((row) => row.error)).toEqual([
      'data.celsius: temperature-format',
    ]);
    expect(await device.pending()).toBe(0);
  });

  it('runs once at a time: a second run while one is under way does nothing', async () => {
    const { endpoint } = await receiverBehind(stops, () => 'pass');
    const device = await syncDevice(endpoint);
    await device.add(gateRecords(30));
    const [first, second] = await Promise.all([syncOnce(device.env), syncOnce(device.env)]);
    expect([first, second].sort()).toEqual(['already-running', 'done']);
    expect(await device.pending()).toBe(0);
  });

  it('pulls revocations after the queue is empty, keeps only those a trusted office key signed for their pass, and continues from its cursor', async () => {
    const { createIssuer, issuerSigner } = await import('../../src/app/office/keys');
    const { encodeRevocations } = await import('../../src/domain/revocation-code');
    const { makeRecord } = await import('../../src/domain/make-record');
    const { deviceConfig } = await import('../fixtures/device-config');
    const { readMeta, writeMeta } = await import('../../src/db/settings');
    const office = (await createIssuer('龙阳社区发证口令 2026', 1)).issuer;
    const stranger = (await createIssuer('别处的口令 2026', 1)).issuer;
    const signedBy = async (issuer: typeof office, passId: string) =>
      (await encodeRevocations([passId], { kid: issuer.kid, sign: issuerSigner(issuer) }, 1))[0];

    const { receiver, endpoint } = await receiverBehind(stops, () => 'pass');
    const device = await syncDevice(endpoint);
    const config = await readMeta(device.db, 'config');
    if (!config) throw new Error('not provisioned');
    await writeMeta(device.db, 'config', { ...config, issuerKeys: [office.publicKey] });
    await device.add(gateRecords(1));
    expect(await syncOnce(device.env)).toBe('done');
    expect(await device.db.revocations.count()).toBe(0);

    const revocation = (passId: string, signed?: string) => {
      const made = makeRecord(
        { config: deviceConfig, now: Date.now(), newId: () => crypto.randomUUID() },
        'pass-revocation',
        { passId, reason: '挂失', ...(signed && { signed }) },
      );
      if (!made.ok) throw new Error('invalid');
      return made.value;
    };
    const revoking = await syncDevice(endpoint);
    await revoking.add([
      revocation(`${office.kid}-000001`, await signedBy(office, `${office.kid}-000001`)),
      revocation(`${office.kid}-000002`),
      revocation(`${office.kid}-000003`, await signedBy(stranger, `${office.kid}-000003`)),
      revocation(`${office.kid}-000004`, await signedBy(office, `${office.kid}-000005`)),
    ]);
    expect(await syncOnce(revoking.env)).toBe('done');
    expect(await syncOnce(device.env)).toBe('done');
    expect((await device.db.revocations.toArray()).map((row) => [row.passId, row.reason])).toEqual([
      [`${office.kid}-000001`, '挂失'],
    ]);
    expect((await readSyncStatus(device.db)).revocationsCursor).toBe(4);
    expect(await receiver.store.recordCount()).toBe(5);
  });
});

describe('a gate enrolled by the office’s setup code', () => {
  it('trades its one-time code for a token of its own at first contact, once, even when the first answer is lost', async () => {
    const { receiver, proxy, endpoint } = await receiverBehind(stops, (seen) =>
      seen.path === '/api/v1/enrolments/claim' &&
      proxy.seen.filter((request) => request.path === seen.path).length === 1
        ? 'drop-after-commit'
        : 'pass',
    );
    const office = await receiver.store.createToken('东岳社区', 'office', 1);
    const { requestEnrolment } = await import('../../src/sync/native');
    const { DEFAULT_SYNC } = await import('../../src/domain/config');
    const code = await requestEnrolment({ ...DEFAULT_SYNC, endpoint, token: office }, 'lj-03');
    expect(code).toMatch(/^[\w-]{24}$/);
    const gate = await syncDevice(endpoint, { enrolment: code });
    await gate.add(gateRecords(3));
    // The claim reached the receiver but its answer was lost: the run stops and tries again.
    expect(await syncOnce(gate.env)).toBe('stopped');
    gate.clock.now += 60_000;
    expect(await syncOnce(gate.env)).toBe('done');
    expect(await receiver.store.recordCount()).toBe(3);
    const tokens = (await receiver.store.listTokens()).filter((token) => token.role === 'device');
    expect(
      tokens.map((token) => [token.device_id, token.checkpoint_id, token.revoked_at !== null]),
    ).toEqual([
      ['dev-0001', 'lj-03', true],
      ['dev-0001', 'lj-03', false],
    ]);
    // Later runs use the token it got; the code is not traded again.
    await gate.add(gateRecords(2));
    expect(await syncOnce(gate.env)).toBe('done');
    expect(
      proxy.seen.filter((request) => request.path === '/api/v1/enrolments/claim'),
    ).toHaveLength(2);
    expect(await receiver.store.recordCount()).toBe(5);
  });

  it('pauses, saying a new setup code is needed, when another device already used the code', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, () => 'pass');
    const office = await receiver.store.createToken('东岳社区', 'office', 1);
    const { requestEnrolment } = await import('../../src/sync/native');
    const { DEFAULT_SYNC } = await import('../../src/domain/config');
    const code =
      (await requestEnrolment({ ...DEFAULT_SYNC, endpoint, token: office }, 'lj-03')) ?? '';
    expect(await receiver.store.claimEnrolment(code, 'dev-other', Date.now())).toBeDefined();
    const gate = await syncDevice(endpoint, { enrolment: code });
    await gate.add(gateRecords(1));
    expect(await syncOnce(gate.env)).toBe('paused');
    expect(await readSyncStatus(gate.db)).toMatchObject({
      paused: 'unauthorized',
      lastProblem: { problem: 'unauthorized', status: 401 },
    });
    expect(await gate.pending()).toBe(1);
  });
});
