// A SQLite file an earlier version of the receiver made: opened, it gains what later versions
// keep per record, filled from the records it holds. (SQLite only: PostgreSQL starts new.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { openStore } from '../../server/store';
import { validate } from '../../server/validate';
import { openFevers } from '../../src/domain/roll-up';
import { generated } from '../fixtures/fever-records';

it('a file kept before records were marked at arrival finds its fever lane and what voids void', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kadian-lane-')), 'kadian.sqlite');
  const records = generated(3);
  const before = await openStore({ KADIAN_DB: file });
  await before.commitBatch('k', '{}', 'dev-0001', records.map(validate), Date.now());
  const lane = await before.feverLane(0, Number.MAX_SAFE_INTEGER);
  await before.close();
  const old = new Database(file);
  old.exec(`DROP INDEX records_fever_lane; ALTER TABLE records DROP COLUMN fever_lane;
    DROP INDEX records_ref; ALTER TABLE records DROP COLUMN ref`);
  old.close();

  const store = await openStore({ KADIAN_DB: file });
  expect(await store.feverLane(0, Number.MAX_SAFE_INTEGER)).toEqual(lane);
  expect(lane.length).toBeGreaterThan(50);
  expect(openFevers('2026-11-29', lane).length).toBeGreaterThan(0);
  const voided = records.flatMap((record) =>
    record.kind === 'void' ? [record.data.targetId] : [],
  );
  expect(voided.length).toBeGreaterThan(0);
  expect([...(await store.voidedAmong(records.map((record) => record.id)))].sort()).toEqual(
    [...new Set(voided)].sort(),
  );
  await store.close();
  rmSync(dirname(file), { recursive: true, force: true });
});
