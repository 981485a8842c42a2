import { afterEach, describe, expect, it } from 'vitest';
import { makeRecord } from '../../src/domain/make-record';
import { withoutPersonalData } from '../../src/domain/mask';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';
import { isolationData } from '../fixtures/stored-records';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

const DAY = 24 * 3600 * 1000;
const now = new Date('2026-11-29T12:00:00').getTime();
function make<K extends KadianRecord['kind']>(kind: K, at: number, data: RecordData<K>) {
  const made = makeRecord(
    { config: deviceConfig, now: at, newId: () => crypto.randomUUID() },
    kind,
    data,
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}
const visitor = (at: number) =>
  make('visitor-in', at, {
    name: '王小明',
    idType: 'resident',
    idNumber: '430102199003071234',
    phone: '13912345678',
    from: { region: '长沙市', keyArea: false },
    visiting: '3栋2单元501',
    purpose: '送药',
    plate: '湘A12345',
  });

describe('withoutPersonalData', () => {
  it('masks names, ID and phone numbers, drops the volunteer’s phone, and is stable when repeated', () => {
    const record = visitor(now);
    const masked = withoutPersonalData(record);
    expect(masked).toEqual({
      ...record,
      volunteer: { name: '李红' },
      data: {
        ...record.data,
        name: '王*明',
        idNumber: '4301**********1234',
        phone: '139****5678',
      },
    });
    expect(withoutPersonalData(masked)).toEqual(masked);
    const reading = make('temperature', now, {
      subject: { type: 'visitor', name: '张三丰' },
      celsius: 37.9,
      method: 'forehead',
      fever: true,
    });
    expect(
      withoutPersonalData(reading).kind === 'temperature' && withoutPersonalData(reading).data,
    ).toEqual({
      ...reading.data,
      subject: { type: 'visitor', name: '张*丰' },
    });
  });
});

describe('the receiver’s retention for personal data', () => {
  it('masks what is older than its retention and leaves newer records whole', async () => {
    receiver = await startReceiver();
    const old = visitor(now - 30 * DAY);
    const recent = visitor(now - 2 * DAY);
    const response = await fetch(`${receiver.endpoint}/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'batch-1' },
      body: JSON.stringify({
        deviceId: 'dev-0001',
        batchId: 'batch-1',
        frozenAt: 1,
        records: [old, recent],
      }),
    });
    expect(response.status).toBe(200);
    expect(await receiver.store.purgePersonalData(now - 28 * DAY)).toBe(1);
    expect(await receiver.store.purgePersonalData(now - 28 * DAY)).toBe(0);
    const stored = async (id: string) => (await fetch(`${receiver.endpoint}/records/${id}`)).json();
    expect(await stored(old.id)).toEqual(withoutPersonalData(old));
    expect(await stored(recent.id)).toEqual(recent);
    // A device sending the record again changes nothing: it is a duplicate.
    const again = await fetch(`${receiver.endpoint}/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'batch-2' },
      body: JSON.stringify({
        deviceId: 'dev-0001',
        batchId: 'batch-2',
        frozenAt: 1,
        records: [old],
      }),
    });
    expect(await again.json()).toEqual({ results: [{ id: old.id, status: 'duplicate' }] });
    expect(await stored(old.id)).toEqual(withoutPersonalData(old));
  });
});

describe('the receiver’s retention and home isolation', () => {
  it('keeps an open isolation’s household readable for its volunteers, and masks it once it has ended', async () => {
    receiver = await startReceiver();
    const start = make('isolation-start', now - 40 * DAY, isolationData('2026-10-20', 60));
    const checkIn = make('isolation-check-in', now - 39 * DAY, {
      isolationId: start.id,
      symptomatic: false,
      how: 'phone',
      reporter: '张三丰',
      readings: [{ member: 0, celsius: 36.5, symptoms: [] }],
    });
    const stored = (records: KadianRecord[]) =>
      receiver.store.importRecords(
        records.map((record) => ({ record })),
        'test',
        now,
      );
    await stored([start, checkIn]);
    const body = async (id: string) => (await fetch(`${receiver.endpoint}/records/${id}`)).json();
    expect(await receiver.store.purgePersonalData(now - 28 * DAY)).toBe(0);
    expect(await body(start.id)).toEqual(start);
    // Released: from then on the retention applies to its records as to every other.
    await stored([
      make('isolation-end', now - DAY, { isolationId: start.id, outcome: 'moved', reason: '搬走' }),
    ]);
    expect(await receiver.store.purgePersonalData(now - 28 * DAY)).toBe(2);
    expect(await body(start.id)).toEqual(withoutPersonalData(start));
    expect(await body(checkIn.id)).toEqual(withoutPersonalData(checkIn));
  });
});

describe('importing a wiped device’s export', () => {
  it('opens only with the passphrase and stores the records, known ones as duplicates', async () => {
    const { sealRecords, openRecords } = await import('../../src/domain/secrets');
    const { validate } = await import('../../server/validate');
    receiver = await startReceiver();
    const records = [visitor(now - DAY), visitor(now)];
    const file = await sealRecords(records, '北门手机导出口令 2026', 'dev-0001', now);
    expect(JSON.stringify(file)).not.toContain('王小明');
    expect(await openRecords(file, '错误的口令 2026')).toBeUndefined();
    expect(await openRecords({ ...file, count: 1 }, '北门手机导出口令 2026')).toBeUndefined();
    const opened = await openRecords(file, '北门手机导出口令 2026');
    expect(opened).toEqual(records);
    const first = await receiver.store.importRecords((opened ?? []).map(validate), 'file-1', now);
    expect(first.map((result) => result.status)).toEqual(['accepted', 'accepted']);
    const again = await receiver.store.importRecords((opened ?? []).map(validate), 'file-1', now);
    expect(again.map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
    expect(await receiver.store.recordCount()).toBe(2);
  });
});
