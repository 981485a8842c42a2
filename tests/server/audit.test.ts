import { afterEach, describe, expect, it } from 'vitest';
import { createIssuer, issuerSigner } from '../../src/app/office/keys';
import { encodeConfig } from '../../src/domain/config-code';
import { makeRecord } from '../../src/domain/make-record';
import { deviceConfig } from '../fixtures/device-config';
import { TWO_COMMUNITIES } from '../fixtures/registry';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

const T0 = new Date('2026-12-04T09:00:00').getTime();

describe('the receiver’s audit log', () => {
  it('lists who made tokens and codes, took and closed alerts and published configurations; only the county reads it; nothing edits it', async () => {
    let clock = T0;
    receiver = await startReceiver({ now: () => clock });
    const { store } = receiver;
    await store.registerCheckpoints(TWO_COMMUNITIES);
    const office = await store.createToken('东岳社区办公室', 'office', T0);
    const duty = await store.createToken('东岳值班', 'duty', T0, { scope: '东岳社区' });
    const county = await store.createToken('县疫情办', 'viewer', T0, { scope: '汉寿县' });
    const call = (path: string, token: string, body?: object) =>
      fetch(`${receiver.endpoint}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body && { body: JSON.stringify(body) }),
      });
    clock += 1000;
    expect((await call('/enrolments', office, { checkpointId: 'lj-03' })).status).toBe(201);
    const fever = makeRecord(
      { config: deviceConfig, now: clock, newId: () => '0192f0a4-3b7d-7c35-9a51-000000000001' },
      'temperature',
      { subject: { type: 'person' }, celsius: 38.5, method: 'forehead', fever: true },
    );
    if (!fever.ok) throw new Error('invalid');
    const upload = await fetch(`${receiver.endpoint}/batches`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${office}`,
        'content-type': 'application/json',
        'idempotency-key': 'b1',
      },
      body: JSON.stringify({
        deviceId: deviceConfig.deviceId,
        batchId: 'b1',
        frozenAt: clock,
        records: [fever.value],
      }),
    });
    expect(upload.status).toBe(200);
    clock += 1000;
    const id = fever.value.id;
    expect((await call(`/alerts/${id}/take`, duty, { name: '王值班' })).status).toBe(200);
    clock += 1000;
    expect(
      (await call(`/alerts/${id}/close`, duty, { name: '王值班', outcome: 'referred' })).status,
    ).toBe(200);
    clock += 1000;
    const { issuer } = await createIssuer('长沙市龙阳社区 2026', 1);
    const code = await encodeConfig({ v: 1, kid: issuer.kid, at: T0 }, issuerSigner(issuer));
    expect((await call('/configs', office, { code })).status).toBe(201);
    // A community's duty may not read it.
    expect((await call('/audit', duty)).status).toBe(403);
    clock += 1000;
    await store.revokeTokens('东岳值班', clock);

    const { entries } = (await (await call('/audit', county)).json()) as { entries: object[] };
    expect(entries.reverse()).toEqual([
      {
        at: T0,
        actor: 'command line',
        action: 'token-created',
        subject: '东岳社区办公室',
        detail: 'office',
      },
      {
        at: T0,
        actor: 'command line',
        action: 'token-created',
        subject: '东岳值班',
        detail: 'duty 东岳社区',
      },
      {
        at: T0,
        actor: 'command line',
        action: 'token-created',
        subject: '县疫情办',
        detail: 'viewer 汉寿县',
      },
      { at: T0 + 1000, actor: '东岳社区办公室', action: 'enrolment-made', subject: 'lj-03' },
      { at: T0 + 2000, actor: '王值班 (东岳值班)', action: 'alert-taken', subject: id },
      {
        at: T0 + 3000,
        actor: '王值班 (东岳值班)',
        action: 'alert-closed',
        subject: id,
        detail: 'referred',
      },
      {
        at: T0 + 4000,
        actor: '东岳社区办公室',
        action: 'config-published',
        subject: issuer.kid,
        detail: new Date(T0).toISOString(),
      },
      { at: T0 + 5000, actor: 'command line', action: 'token-revoked', subject: '东岳值班' },
    ]);

    // The database itself refuses to edit a row, or to remove one within the retention period.
    await expect(store.db.run("UPDATE audit SET actor = 'someone else'")).rejects.toThrow(
      'the audit log is never edited',
    );
    await expect(store.db.run('DELETE FROM audit')).rejects.toThrow(
      'the audit log keeps its rows for the retention period',
    );
    expect(await store.audit.entries()).toHaveLength(8);
  });
});
