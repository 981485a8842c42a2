// A SQLite file an earlier version of the receiver made: opened, it gains what later versions
// keep per record and at arrival, filled from the records it holds. (SQLite only: PostgreSQL
// databases start with every table.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { openStore } from '../../server/store';
import { validate } from '../../server/validate';
import { generated } from '../fixtures/fever-records';
import { exit, isolationStart, make, report } from '../fixtures/stored-records';

it('a file kept before records were marked and filed at arrival finds its fevers, exits, reports and isolations', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kadian-file-')), 'kadian.sqlite');
  const exits = [exit('20T08:00:00'), exit('20T09:00:00'), exit('20T10:00:00')];
  const reports = [report('20T20:00:00', 12), report('20T21:00:00', 0)];
  const start = isolationStart();
  const end = make('isolation-end', '19T10:00:00', {
    isolationId: start.id,
    outcome: 'hospital',
    reason: '转医院',
  });
  const records = [
    ...generated(3),
    ...exits,
    make('void', '20T11:00:00', { targetId: exits[1]?.id ?? '', reason: '扫错了' }),
    ...reports,
    make('void', '20T22:00:00', { targetId: reports[1]?.id ?? '', reason: '报错了' }),
    start,
    end,
  ];
  const before = await openStore({ KADIAN_DB: file });
  await before.commitBatch('k', '{}', 'dev-0001', records.map(validate), Date.now());
  const lane = await before.feverLane(0, Number.MAX_SAFE_INTEGER);
  await before.close();
  // As an earlier version left it: no marks on the records, none of the tables filed at arrival.
  const old = new Database(file);
  old.exec(`DROP INDEX records_fever; ALTER TABLE records DROP COLUMN fever_lane;
    DROP INDEX records_ref; ALTER TABLE records DROP COLUMN ref;
    DROP TABLE report_days; DROP TABLE exits; DROP TABLE isolation_spans;
    ALTER TABLE isolation_feed DROP COLUMN kind; ALTER TABLE isolation_feed DROP COLUMN recorded_at;
    ALTER TABLE isolation_feed DROP COLUMN symptomatic`);
  old.close();

  const store = await openStore({ KADIAN_DB: file });
  expect(lane.length).toBeGreaterThan(50);
  expect(await store.feverLane(0, Number.MAX_SAFE_INTEGER)).toEqual(lane);
  await store.figures.windowFor(2);
  expect(
    (await store.figures.exitsOverQuota(0, [0, Number.MAX_SAFE_INTEGER], 0)).map((e) => e.recordId),
  ).toEqual([exits[0]?.id, exits[2]?.id]);
  expect((await store.figures.reportsOn('2026-11-20')).map((r) => r.id)).toEqual([reports[0]?.id]);
  expect(
    (await store.isolations.followedBetween('2026-11-19', '2026-11-19')).map((i) => i.start.id),
  ).toEqual([start.id]);
  expect(await store.isolations.followedBetween('2026-11-20', '2026-11-20')).toEqual([]);
  expect(await store.db.all('SELECT kind, symptomatic FROM isolation_feed ORDER BY seq')).toEqual([
    { kind: 'isolation-start', symptomatic: 0 },
    { kind: 'isolation-end', symptomatic: 0 },
  ]);
  await store.close();
  rmSync(dirname(file), { recursive: true, force: true });
});
