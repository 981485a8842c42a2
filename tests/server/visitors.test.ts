import { afterEach, describe, expect, it } from 'vitest';
import { visitorsPage } from '../../server/pages';
import { generateDataKey, sealPersonalData } from '../../src/domain/data-key';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord } from '../../src/domain/records';
import { sealDataKey } from '../../src/domain/secrets';
import { deviceConfig } from '../fixtures/device-config';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

const ID = '11010519491231002X';
const PHONE = '13912345678';
const PASSPHRASE = '龙阳社区数据口令 2026';

function visitor(time: string, idNumber = ID, phone = PHONE): KadianRecord {
  const made = makeRecord(
    {
      config: deviceConfig,
      now: new Date(`2026-11-${time}`).getTime(),
      newId: () => crypto.randomUUID(),
    },
    'visitor-in',
    {
      name: '王五',
      idType: 'resident',
      idNumber,
      phone,
      from: { region: '长沙市', keyArea: true },
      visiting: '3栋2单元501',
      purpose: '送药',
    },
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}

async function upload(records: KadianRecord[], token: string) {
  const response = await fetch(`${receiver.endpoint}/batches`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': 'batch-1',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      deviceId: deviceConfig.deviceId,
      batchId: 'batch-1',
      frozenAt: 1,
      records,
    }),
  });
  expect(response.status).toBe(200);
  expect(
    (await response.json()).results.map((result: { status: string }) => result.status),
  ).toEqual(records.map(() => 'accepted'));
}

describe('the receiver’s visitors page', () => {
  it('shows sealed numbers masked, and in full only to a viewer who brings the data key file and passphrase', async () => {
    receiver = await startReceiver();
    const device = await receiver.store.createToken('north', 'device', 1);
    const viewer = await receiver.store.createToken('office', 'viewer', 1);
    const key = await generateDataKey();
    const keyFile = JSON.stringify(
      await sealDataKey(key.pkcs8, PASSPHRASE, key.kid, key.publicKey),
    );
    const sealed = await sealPersonalData(visitor('29T09:00:00'), key.publicKey);
    const otherDay = await sealPersonalData(visitor('28T09:00:00'), key.publicKey);
    await upload([sealed, otherDay], device);
    // What the receiver keeps is what arrived: ciphertext and the masked forms.
    const stored = (await receiver.store.findRecord(sealed.id)) ?? '';
    expect(stored).not.toContain(ID);
    expect(stored).not.toContain(PHONE);

    const login = { authorization: `Basic ${Buffer.from(`office:${viewer}`).toString('base64')}` };
    const url = `${receiver.origin}/view/visitors?date=2026-11-29`;
    expect((await fetch(url)).status).toBe(401);
    const masked = await (await fetch(url, { headers: login })).text();
    expect(masked).toContain(
      '<td>王五</td><td>居民身份证 1101**********002X</td><td>139****5678</td>',
    );
    expect(masked).not.toContain(ID);

    const post = async (file: string, passphrase: string) => {
      const form = new FormData();
      form.set('keyFile', new File([file], 'kadian-data-key.json', { type: 'application/json' }));
      form.set('passphrase', passphrase);
      const response = await fetch(url, { method: 'POST', headers: login, body: form });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      return response.text();
    };
    const wrong = await post(keyFile, '不是这个口令 2026');
    expect(wrong).toContain('口令不对，或者密钥文件损坏。');
    expect(wrong).not.toContain(ID);
    expect(await post('{"format":"kadian-issuer-key-1"}', PASSPHRASE)).toContain(
      '这个文件不是数据密钥文件',
    );
    const opened = await post(keyFile, PASSPHRASE);
    expect(opened).toContain(`已用数据密钥 ${key.kid} 打开 1 位访客的号码。`);
    // The county sees in its audit log who opened them, and when.
    const [entry] = await receiver.store.audit.entries();
    expect(entry).toEqual({
      at: expect.any(Number),
      actor: 'office',
      action: 'personal-data-opened',
      subject: 'visitors 2026-11-29',
      detail: `1 visitors, data key ${key.kid}`,
    });
    expect(opened).toContain(`<td>王五</td><td>居民身份证 ${ID}</td><td>${PHONE}</td>`);
    // Another office's key opens nothing.
    const other = await generateDataKey();
    const otherFile = JSON.stringify(
      await sealDataKey(other.pkcs8, PASSPHRASE, other.kid, other.publicKey),
    );
    const none = await post(otherFile, PASSPHRASE);
    expect(none).toContain(`已用数据密钥 ${other.kid} 打开 0 位访客的号码。`);
    expect(none).not.toContain(ID);
    // A device token is not a viewer's.
    expect((await fetch(url, { headers: { authorization: `Bearer ${device}` } })).status).toBe(401);
  });

  it('masks numbers that arrived unencrypted and escapes every value', () => {
    const plain = visitor('29T10:00:00', '430102199003071234', '13800138000');
    if (plain.kind !== 'visitor-in') throw new Error('kind');
    const hostile = { ...plain, data: { ...plain.data, name: '<img src=x onerror=alert(1)>' } };
    const html = visitorsPage('2026-11-29', [hostile]);
    expect(html).toContain(
      '<td>&lt;img src=x onerror=alert(1)&gt;</td><td>居民身份证 4301**********1234</td><td>138****8000</td>',
    );
    expect(html).not.toContain('430102199003071234');
  });
});
