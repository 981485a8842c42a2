import { afterEach, describe, expect, it } from 'vitest';
import { flagsPage } from '../../server/pages';
import { makeRecord } from '../../src/domain/make-record';
import { quotaFlags } from '../../src/domain/quota-flags';
import type { KadianRecord } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';
import { random } from '../fixtures/random';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

let counter = 0;
const north = { ...deviceConfig, deviceId: 'dev-north', checkpoint: { id: 'lj-03', name: '北门' } };
const south = { ...deviceConfig, deviceId: 'dev-south', checkpoint: { id: 'lj-04', name: '南门' } };

function exit(
  config: typeof north,
  time: string,
  passId: string,
  householdId: string,
): KadianRecord {
  counter += 1;
  const made = makeRecord(
    {
      config,
      now: new Date(`2026-11-${time}`).getTime(),
      newId: () => `0192f0a4-3b7d-7c35-9a51-${String(counter).padStart(12, '0')}`,
    },
    'pass-scan',
    { passId, householdId, direction: 'out', verdict: 'allowed' },
  );
  if (!made.ok) throw new Error('invalid');
  return made.value;
}

async function upload(deviceId: string, records: KadianRecord[], token?: string) {
  const key = crypto.randomUUID();
  const response = await fetch(`${receiver.endpoint}/batches`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': key,
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ deviceId, batchId: key, frozenAt: 1, records }),
  });
  expect(response.status).toBe(200);
}

describe('the receiver’s quota flags', () => {
  it.each([3, 8, 21])(
    'equal a recount from every exit stored, for exits arriving late, out of order and voided, counted as they arrive (seed %i)',
    async (seed) => {
      const quota = { n: 2, days: 2 };
      receiver = await startReceiver({ quota });
      const next = random(seed);
      // Six households over eight days, from two gates; a tenth of the exits voided later.
      const exits = Array.from({ length: 120 }, () => {
        const day = 20 + Math.floor(next() * 8);
        const time = `${day}T${String(7 + Math.floor(next() * 14)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}:00`;
        const household = `hh-${Math.floor(next() * 6)}`;
        return exit(next() < 0.5 ? north : south, time, `k1-${household}`, household);
      });
      const voids = exits
        .filter(() => next() < 0.1)
        .map((target) => {
          counter += 1;
          const made = makeRecord(
            {
              config: north,
              now: target.recordedAt + 60_000,
              newId: () => `0192f0a4-3b7d-7c35-9a51-${String(counter).padStart(12, '0')}`,
            },
            'void',
            { targetId: target.id, reason: '扫错了' },
          );
          if (!made.ok) throw new Error('invalid');
          return made.value;
        });
      const flagsOn = async (date: string) =>
        (await (await fetch(`${receiver.endpoint}/flags?date=${date}`)).json()).flags;
      // The quota is known before anything arrives: every exit is counted as it arrives.
      expect(await flagsOn('2026-11-20')).toEqual([]);
      // Gates that were offline send their exits late and in any order, the voids among them.
      const shuffled = [...exits, ...voids].sort(() => next() - 0.5);
      for (let i = 0; i < shuffled.length; i += 15)
        await upload('dev-north', shuffled.slice(i, i + 15));

      const voided = new Set(
        voids.map((record) => (record.kind === 'void' ? record.data.targetId : '')),
      );
      const expected = quotaFlags(
        exits
          .filter((record) => !voided.has(record.id))
          .map((record) => ({
            recordId: record.id,
            passId: record.kind === 'pass-scan' ? (record.data.passId ?? '') : '',
            householdId: record.kind === 'pass-scan' ? (record.data.householdId ?? '') : '',
            deviceId: record.deviceId,
            checkpointId: record.checkpointId,
            at: record.recordedAt,
          })),
        quota,
      );
      let flagged = 0;
      for (let day = 20; day < 28; day++) {
        const date = `2026-11-${day}`;
        const flags = await flagsOn(date);
        expect(flags).toEqual(expected.filter((flag) => flag.date === date));
        flagged += flags.length;
      }
      // The seeds make flags to find.
      expect(flagged).toBeGreaterThan(10);
    },
  );

  it('lists, per pass and day, an exit that went over the quota at another gate while both were offline', async () => {
    receiver = await startReceiver({ quota: { n: 1, days: 2 } });
    const device = await receiver.store.createToken('north', 'device', 1);
    const southDevice = await receiver.store.createToken('south', 'device', 1);
    const viewer = await receiver.store.createToken('office', 'viewer', 1);
    const first = exit(north, '28T09:00:00', 'k1-000001', 'hh-0501');
    const second = exit(south, '29T08:30:00', 'k1-000002', 'hh-0501');
    const other = exit(south, '29T09:00:00', 'k1-000003', 'hh-0502');
    const voided = exit(north, '29T10:00:00', 'k1-000003', 'hh-0502');
    const correction = makeRecord(
      {
        config: north,
        now: new Date('2026-11-29T10:01:00').getTime(),
        newId: () => '0192f0a4-3b7d-7c35-9a51-ffffffffffff',
      },
      'void',
      { targetId: voided.id, reason: '扫错了' },
    );
    if (!correction.ok) throw new Error('invalid');
    await upload('dev-north', [first, voided, correction.value], device);
    await upload('dev-south', [second, other], southDevice);

    const asked = (date: string, token = viewer) =>
      fetch(`${receiver.endpoint}/flags?date=${date}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const response = await asked('2026-11-29');
    expect(response.status).toBe(200);
    const exitOf = (record: KadianRecord) => ({
      recordId: record.id,
      passId: record.kind === 'pass-scan' ? record.data.passId : '',
      householdId: 'hh-0501',
      deviceId: record.deviceId,
      checkpointId: record.checkpointId,
      at: record.recordedAt,
    });
    expect(await response.json()).toEqual({
      date: '2026-11-29',
      quota: { n: 1, days: 2 },
      flags: [
        {
          date: '2026-11-29',
          passId: 'k1-000002',
          householdId: 'hh-0501',
          exit: exitOf(second),
          window: [exitOf(first), exitOf(second)],
          acrossDevices: true,
        },
      ],
    });
    expect((await (await asked('2026-11-28')).json()).flags).toEqual([]);

    // What the office prints: the same flag, as a page a browser logs into with the viewer token.
    const page = await fetch(`${receiver.origin}/view/flags?date=2026-11-29`, {
      headers: { authorization: `Basic ${Buffer.from(`office:${viewer}`).toString('base64')}` },
    });
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('规则：每户每 2 天最多外出 1 次。');
    expect(html).toContain('共 1 条。');
    expect(html).toContain(
      '<td>k1-000002</td><td>hh-0501</td><td>2026-11-29 08:30</td><td>lj-04 / dev-south</td>',
    );
    expect(html).toContain(
      '2026-11-28 09:00 lj-03 / dev-north<br>2026-11-29 08:30 lj-04 / dev-south',
    );
  });

  it('shows reports only to viewer tokens, and asks a browser to log in', async () => {
    receiver = await startReceiver({ quota: { n: 1, days: 2 } });
    const device = await receiver.store.createToken('north', 'device', 1);
    expect((await fetch(`${receiver.endpoint}/flags`)).status).toBe(401);
    const withDevice = await fetch(`${receiver.endpoint}/flags`, {
      headers: { authorization: `Bearer ${device}` },
    });
    expect(withDevice.status).toBe(401);
    const page = await fetch(`${receiver.origin}/view/flags`);
    expect(page.status).toBe(401);
    expect(page.headers.get('www-authenticate')).toBe(
      'Basic realm="Kadian viewer", charset="UTF-8"',
    );
    const viewer = await receiver.store.createToken('office', 'viewer', 1);
    const bad = await fetch(`${receiver.endpoint}/flags?date=2026-02-30`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'date must be a day such as 2026-11-29' });
  });

  it('escapes every value it prints (ids are checked on arrival; the page does not rely on it)', () => {
    const hostile = {
      recordId: 'r1',
      passId: 'k1-<b>x</b>',
      householdId: 'hh-"1"',
      deviceId: "dev-'1'",
      checkpointId: 'lj&03',
      at: new Date('2026-11-29T08:00:00').getTime(),
    };
    const html = flagsPage('2026-11-29', { n: 0, days: 1 }, [
      {
        date: '2026-11-29',
        passId: hostile.passId,
        householdId: hostile.householdId,
        exit: hostile,
        window: [hostile],
        acrossDevices: false,
      },
    ]);
    expect(html).toContain(
      '<td>k1-&lt;b&gt;x&lt;/b&gt;</td><td>hh-&quot;1&quot;</td><td>2026-11-29 08:00</td><td>lj&amp;03 / dev-&#39;1&#39;</td>',
    );
    expect(html).not.toContain('<b>x</b>');
  });

  it('says when no quota is set', async () => {
    receiver = await startReceiver();
    const json = await (await fetch(`${receiver.endpoint}/flags?date=2026-11-29`)).json();
    expect(json).toEqual({ date: '2026-11-29', quota: null, flags: [] });
    const html2 = await (await fetch(`${receiver.origin}/view/flags?date=2026-11-29`)).text();
    expect(html2).toContain('接收端没有设置外出次数（config.json 的 rules.quota），无法核查。');
  });
});
