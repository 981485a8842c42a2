import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../src/domain/base64url';
import {
  generateDataKey,
  importDataKey,
  openField,
  openPersonalData,
  sealField,
  sealPersonalData,
} from '../../src/domain/data-key';
import { DataKey } from '../../src/domain/fields';
import { check } from '../../src/domain/issues';
import { makeRecord } from '../../src/domain/make-record';
import { KadianRecord } from '../../src/domain/records';
import { openDataKey, SealedDataKey, sealDataKey } from '../../src/domain/secrets';

const ID = '11010519491231002X';
const PHONE = '13912345678';

async function office() {
  const { publicKey, pkcs8, kid } = await generateDataKey();
  return { publicKey, kid, privateKey: await importDataKey(pkcs8), pkcs8 };
}

function visitor(id = crypto.randomUUID()) {
  const made = makeRecord(
    {
      config: {
        deviceId: 'dev-7f3a',
        checkpoint: { id: 'lj-03', name: '龙阳小区北门' },
        volunteer: { name: '李红' },
      },
      now: new Date('2026-11-29T09:00:00').getTime(),
      newId: () => id,
    },
    'visitor-in',
    {
      name: '王五',
      idType: 'resident',
      idNumber: ID,
      phone: PHONE,
      from: { region: '长沙市', keyArea: false },
      visiting: '3栋2单元501',
      purpose: '送药',
    },
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}

describe('fields sealed to the office data key', () => {
  it('open with the office key for the same record and field, and for nothing else', async () => {
    const key = await office();
    expect(check(DataKey, key.publicKey).ok).toBe(true);
    expect(key.kid).toMatch(/^[0-9a-f]{8}$/);
    const enc = await sealField(ID, key.publicKey, 'record-1', 'idNumber');
    // version, key id, ephemeral point, IV, 18 bytes of text and the 16-byte tag.
    expect(fromBase64Url(enc)).toHaveLength(1 + 4 + 65 + 12 + 18 + 16);
    expect(await openField(enc, key.privateKey, key.kid, 'record-1', 'idNumber')).toBe(ID);
    // Moved to another record or field, it does not open.
    expect(await openField(enc, key.privateKey, key.kid, 'record-2', 'idNumber')).toBeUndefined();
    expect(await openField(enc, key.privateKey, key.kid, 'record-1', 'phone')).toBeUndefined();
    // Another office's key does not open it, even claiming this key's id.
    const other = await office();
    expect(
      await openField(enc, other.privateKey, other.kid, 'record-1', 'idNumber'),
    ).toBeUndefined();
    expect(await openField(enc, other.privateKey, key.kid, 'record-1', 'idNumber')).toBeUndefined();
    // Any byte changed, it does not open.
    const bytes = fromBase64Url(enc);
    for (const at of [0, 3, 10, 80, bytes.length - 1]) {
      const damaged = bytes.slice();
      damaged[at] = (damaged[at] ?? 0) ^ 1;
      expect(
        await openField(toBase64Url(damaged), key.privateKey, key.kid, 'record-1', 'idNumber'),
      ).toBeUndefined();
    }
    expect(await openField('not base64!', key.privateKey, key.kid, 'r', 'f')).toBeUndefined();
    // The same number sealed twice gives two different texts (a fresh key each time).
    expect(await sealField(ID, key.publicKey, 'record-1', 'idNumber')).not.toBe(enc);
  });

  it('seal a household’s ID numbers member by member, leaving its phone readable for the volunteers who call it', async () => {
    const key = await office();
    const made = makeRecord(
      {
        config: {
          deviceId: 'dev-7f3a',
          checkpoint: { id: 'lj-03', name: '北门' },
          volunteer: { name: '李红' },
        },
        now: 0,
        newId: () => '0192f0a4-3b7d-7c35-9a51-000000000001',
      },
      'isolation-start',
      {
        address: '5栋1单元101',
        members: [{ name: '张三丰', idType: 'resident', idNumber: ID }, { name: '张无忌' }],
        phone: PHONE,
        startDay: '2026-12-01',
        days: 14,
        reason: '密切接触者',
        responsible: { checkpointId: 'lj-03' },
      },
    );
    if (!made.ok) throw new Error(JSON.stringify(made.issues));
    const sealed = await sealPersonalData(made.value, key.publicKey);
    expect(check(KadianRecord, sealed).ok).toBe(true);
    if (sealed.kind !== 'isolation-start') throw new Error('kind');
    expect(sealed.data.members).toEqual([
      {
        name: '张三丰',
        idType: 'resident',
        idNumber: { enc: expect.any(String), masked: '1101**********002X' },
      },
      { name: '张无忌' },
    ]);
    expect(sealed.data.phone).toBe(PHONE);
    expect(JSON.stringify(sealed)).not.toContain(ID);
    expect(await sealPersonalData(sealed, key.publicKey)).toEqual(sealed);
    expect(await openPersonalData(sealed, key.privateKey, key.kid)).toEqual(made.value);
  });

  it('leave a visitor record with only ciphertext and the masked forms, still valid, and open back exactly', async () => {
    const key = await office();
    const plain = visitor();
    const sealed = await sealPersonalData(plain, key.publicKey);
    expect(check(KadianRecord, sealed).ok).toBe(true);
    if (sealed.kind !== 'visitor-in') throw new Error('kind');
    expect(sealed.data.idNumber).toEqual({ enc: expect.any(String), masked: '1101**********002X' });
    expect(sealed.data.phone).toEqual({ enc: expect.any(String), masked: '139****5678' });
    const text = JSON.stringify(sealed);
    expect(text).not.toContain(ID);
    expect(text).not.toContain('19491231');
    expect(text).not.toContain(PHONE);
    expect({ ...sealed, data: { ...sealed.data, idNumber: 0, phone: 0 } }).toEqual({
      ...plain,
      data: { ...plain.data, idNumber: 0, phone: 0 },
    });
    // Sealing again leaves sealed fields alone.
    expect(await sealPersonalData(sealed, key.publicKey)).toEqual(sealed);
    expect(await openPersonalData(sealed, key.privateKey, key.kid)).toEqual(plain);
    // Without the right key the record stays as it was.
    const other = await office();
    expect(await openPersonalData(sealed, other.privateKey, other.kid)).toEqual(sealed);
    // Other kinds carry no such fields.
    const shift = makeRecord(
      {
        config: {
          deviceId: 'dev-7f3a',
          checkpoint: { id: 'lj-03', name: '北门' },
          volunteer: { name: '李红', phone: '13800138000' },
        },
        now: 0,
        newId: () => crypto.randomUUID(),
      },
      'shift',
      { action: 'start' },
    );
    if (!shift.ok) throw new Error('shift');
    expect(await sealPersonalData(shift.value, key.publicKey)).toBe(shift.value);
  });

  it('keep the office key in a passphrase-sealed file that opens only with its passphrase', async () => {
    const key = await office();
    const file = await sealDataKey(key.pkcs8, '龙阳社区数据口令 2026', key.kid, key.publicKey);
    expect(check(SealedDataKey, JSON.parse(JSON.stringify(file))).ok).toBe(true);
    expect(JSON.stringify(file)).not.toContain(toBase64Url(key.pkcs8));
    expect(await openDataKey(file, '错误的口令 2026')).toBeUndefined();
    expect(
      await openDataKey({ ...file, kid: '00000000' }, '龙阳社区数据口令 2026'),
    ).toBeUndefined();
    const opened = await openDataKey(file, '龙阳社区数据口令 2026');
    if (!opened) throw new Error('did not open');
    const enc = await sealField(PHONE, key.publicKey, 'r', 'phone');
    expect(await openField(enc, await importDataKey(opened), key.kid, 'r', 'phone')).toBe(PHONE);
  });
});
