import { expect, test } from '@playwright/test';
import { setUpDevice } from '../tests/e2e/helpers';
import { figures } from './shared';

const HOUSEHOLDS = 30;
const DAYS = 28;
const OPENS = 50;
const SAVES = 30;

const median = (timings: number[]) =>
  [...timings].sort((a, b) => a - b)[timings.length >> 1] ?? NaN;

test('home isolation: the screen opened with 30 households and 28 days of their check-ins, and a household check-in saved', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await setUpDevice(page);
  // Thirty households of three, each in its 28th day (period 60) with two check-ins every day
  // before today, written into the device's isolation store as the app keeps them.
  const rows = await page.evaluate(
    async ({ households, days }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('kadian');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const meta = await new Promise<{ value: { deviceId: string; checkpoint: { id: string } } }>(
        (resolve) => {
          const get = db.transaction('meta').objectStore('meta').get('config');
          get.onsuccess = () => resolve(get.result);
        },
      );
      const { deviceId, checkpoint } = meta.value;
      const pad = (n: number) => String(n).padStart(2, '0');
      const dayMs = 24 * 3600 * 1000;
      const midnight = new Date(new Date().toDateString()).getTime();
      const first = midnight - (days - 1) * dayMs;
      const startDay = (() => {
        const d = new Date(first);
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
      })();
      let serial = 0;
      const id = () => `0192f0a4-3b7d-7c35-9a51-${String(++serial).padStart(12, '0')}`;
      const envelope = (recordedAt: number) => ({
        id: id(),
        checkpointId: checkpoint.id,
        deviceId,
        volunteer: { name: '李红' },
        recordedAt,
        schemaVersion: 1,
      });
      const store = db.transaction('isolations', 'readwrite').objectStore('isolations');
      let written = 0;
      for (let h = 0; h < households; h++) {
        const start = {
          ...envelope(first + 8 * 3600_000),
          kind: 'isolation-start',
          data: {
            address: `${h + 1}栋1单元101`,
            members: [{ name: '张三丰' }, { name: '张翠山' }, { name: '殷素素' }],
            phone: '13912345678',
            startDay,
            days: 60,
            reason: '密切接触者',
            responsible: { checkpointId: checkpoint.id },
          },
        };
        store.put({ id: start.id, isolationId: start.id, record: start });
        written++;
        for (let d = 0; d < days - 1; d++)
          for (const hour of [9, 17]) {
            const checkIn = {
              ...envelope(first + d * dayMs + hour * 3600_000),
              kind: 'isolation-check-in',
              data: {
                isolationId: start.id,
                symptomatic: false,
                how: 'door',
                reporter: '张三丰',
                readings: [0, 1, 2].map((member) => ({ member, celsius: 36.5, symptoms: [] })),
              },
            };
            store.put({ id: checkIn.id, isolationId: start.id, record: checkIn });
            written++;
          }
      }
      await new Promise((resolve) => {
        store.transaction.oncomplete = resolve;
      });
      db.close();
      return written;
    },
    { households: HOUSEHOLDS, days: DAYS },
  );
  expect(rows).toBe(HOUSEHOLDS * (1 + 2 * (DAYS - 1)));

  // Opening the screen: from the hash change to the list on screen (its thirty households read,
  // put together from their records and sorted), against a bare read of the same rows.
  await page.getByRole('link', { name: '隔离', exact: true }).click();
  await expect(page.getByRole('heading', { name: `待打卡 · ${HOUSEHOLDS}` })).toBeVisible();
  const opening = await page.evaluate(async (runs) => {
    const listed = () => document.querySelectorAll('.isolation-list li').length > 0;
    const shown = () =>
      new Promise<void>((resolve) => {
        if (listed()) return resolve();
        const observer = new MutationObserver(() => {
          if (!listed()) return;
          observer.disconnect();
          resolve();
        });
        observer.observe(document.body, { childList: true, subtree: true });
      });
    const gone = () =>
      new Promise<void>((resolve) => {
        const check = () => (listed() ? requestAnimationFrame(check) : resolve());
        check();
      });
    const open: number[] = [];
    for (let i = 0; i < runs; i++) {
      window.location.hash = '#/gate';
      await gone();
      const start = performance.now();
      window.location.hash = '#/isolation';
      await shown();
      open.push(performance.now() - start);
    }
    // The limit it approaches: the same rows read bare, with no grouping and no drawing.
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open('kadian');
      request.onsuccess = () => resolve(request.result);
    });
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await new Promise((resolve) => {
        const all = db.transaction('isolations').objectStore('isolations').getAll();
        all.onsuccess = resolve;
      });
      bare.push(performance.now() - start);
    }
    db.close();
    return { open, bare };
  }, OPENS);

  // A check-in saved: from the tap on "save" to the form emptied for the next (the record and its
  // outbox entry committed), against a bare IndexedDB put and commit of one record.
  await page.getByRole('link', { name: /^1栋1单元101/ }).click();
  await expect(page.getByRole('button', { name: '保存打卡' })).toBeVisible();
  const saving = await page.evaluate(async (runs) => {
    const yieldOnce = () =>
      new Promise<void>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      });
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    const field = () => document.querySelector<HTMLInputElement>('.isolation-member input');
    const button = (name: string) =>
      [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
    const save: number[] = [];
    for (let i = 0; i < runs; i++) {
      const input = field();
      setter?.call(input, '36.6');
      input?.dispatchEvent(new Event('input', { bubbles: true }));
      await yieldOnce();
      button('全家和张三丰一样')?.click();
      await yieldOnce();
      const start = performance.now();
      button('保存打卡')?.click();
      while (field()?.value !== '') await yieldOnce();
      save.push(performance.now() - start);
    }
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open('kadian');
      request.onsuccess = () => resolve(request.result);
    });
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await new Promise((resolve) => {
        const transaction = db.transaction('meta', 'readwrite');
        transaction.objectStore('meta').put({ key: `bench-${i}`, value: { i, at: Date.now() } });
        transaction.oncomplete = resolve;
      });
      bare.push(performance.now() - start);
    }
    db.close();
    return { save, bare };
  }, SAVES);
  const saved = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const request = indexedDB.open('kadian');
        request.onsuccess = () => {
          const all = request.result.transaction('records').objectStore('records').getAll();
          const checkIns = (rows: { kind: string }[]) =>
            rows.filter((row) => row.kind === 'isolation-check-in').length;
          all.onsuccess = () => resolve(checkIns(all.result));
        };
      }),
  );
  expect(saved).toBe(SAVES);

  console.log(
    `\nisolation screen opened, ${HOUSEHOLDS} households × ${DAYS} days (${rows.toLocaleString('en')} records), ${OPENS} times: ${figures(opening.open)}` +
      `\n  limit it approaches, a bare getAll() of the same rows: ${figures(opening.bare)}; ratio of medians ${(median(opening.open) / median(opening.bare)).toFixed(1)}×` +
      `\na household check-in saved (three members), tap → committed and the form emptied, ${SAVES} times: ${figures(saving.save)}` +
      `\n  limit it approaches, a bare IndexedDB put + commit: ${figures(saving.bare)}; ratio of medians ${(median(saving.save) / median(saving.bare)).toFixed(1)}×\n`,
  );
});
