// Counties' worth of records for the receiver's benchmarks, as their gates would send them: per
// checkpoint and day about 180 records (pass scans of its 100 households, temperatures with one
// fever in 200, visitors), the evening's daily report, and households in home isolation (one a
// week per checkpoint, checked in daily, released after 14 days). Written through the store's own
// batches (what arrives is filed as in production), kept in tests/.generated and reused.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Store } from '../server/store';
import { DAY_MS, localDay } from '../src/domain/day';
import type { KadianRecord } from '../src/domain/records';
import { emptyCounts, type KnownCheckpoint } from '../src/domain/roll-up';

export const DAYS = 28;
export const CHECKPOINTS_PER_COUNTY = 200;
const RECORDS_PER_DAY = 180;
const HOUSEHOLDS = 100;

const COUNTY_NAMES = [
  '汉寿县',
  '桃源县',
  '澧县',
  '临澧县',
  '石门县',
  '安乡县',
  '津市市',
  '鼎城区',
  '武陵区',
  '西湖区',
];

export const countyName = (county: number) => COUNTY_NAMES[county] ?? `县${county}`;

/** Checkpoint `n` of the seed: 10 townships a county, 4 communities a township, 5 gates each. */
export function checkpointOf(n: number): KnownCheckpoint {
  const county = Math.floor(n / CHECKPOINTS_PER_COUNTY);
  const inCounty = n % CHECKPOINTS_PER_COUNTY;
  const township = `${countyName(county)}${Math.floor(inCounty / 20)}镇`;
  const community = `${township}${Math.floor(inCounty / 5) % 4}社区`;
  return {
    id: `cp-${n}`,
    name: `${community}${inCounty % 5}号门`,
    county: countyName(county),
    township,
    community,
    courtyard: `${community}${inCounty % 5}小区`,
  };
}

export interface Seed {
  /** Midnight of the seed's first day; its last is DAYS − 1 later. */
  firstDay: number;
  checkpoints: number;
  records: number;
}

/** The seed of `counties` counties, made once (kept in `marker`) and reused by later runs. */
export async function seeded(
  store: Store,
  marker: string,
  counties: number,
  log: (line: string) => void,
): Promise<Seed> {
  if (existsSync(marker)) {
    const seed = JSON.parse(readFileSync(marker, 'utf8')) as Seed;
    if (seed.checkpoints === counties * CHECKPOINTS_PER_COUNTY) return seed;
  }
  const checkpoints = counties * CHECKPOINTS_PER_COUNTY;
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  const firstDay = today.getTime() - DAYS * DAY_MS;
  await store.registerCheckpoints(Array.from({ length: checkpoints }, (_, n) => checkpointOf(n)));
  let records = 0;
  const started = performance.now();
  for (let day = 0; day < DAYS; day++) {
    const batch: KadianRecord[] = [];
    const flush = async () => {
      const checked = batch.splice(0).map((record) => ({ record }));
      // Received the evening they were made, as a gate with signal would send them.
      const evening = firstDay + day * DAY_MS + 21 * 3_600_000;
      await store.commitBatch(`seed-${day}-${records}`, '', 'seed', checked, evening);
      records += checked.length;
    };
    for (let n = 0; n < checkpoints; n++) {
      batch.push(...checkpointDay(n, firstDay + day * DAY_MS, day));
      if (batch.length >= 1000) await flush();
    }
    await flush();
    const seconds = (performance.now() - started) / 1000;
    log(
      `seed: day ${day + 1}/${DAYS}, ${records.toLocaleString('en')} records, ${Math.round(records / seconds).toLocaleString('en')} records/s`,
    );
  }
  const seed = { firstDay, checkpoints, records };
  writeFileSync(marker, JSON.stringify(seed));
  return seed;
}

let serial = 0;
const nextId = (at: number) => {
  serial += 1;
  // UUIDv7-shaped: the time first, then a counter.
  const hex = Math.floor(at).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7c35-9a51-${serial.toString(16).padStart(12, '0')}`;
};

/** A random generator of its own per checkpoint-day, so the seed is the same every time. */
function randomOf(seed: number) {
  let state = seed % 2_147_483_647 || 1;
  return () => {
    state = (state * 16_807) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

/** One checkpoint's records of one day, in time order. */
export function checkpointDay(n: number, midnight: number, day: number): KadianRecord[] {
  const random = randomOf(n * 1000 + day + 1);
  const place = checkpointOf(n);
  const envelope = (at: number) => ({
    id: nextId(at),
    checkpointId: place.id,
    deviceId: `dev-${n}`,
    volunteer: { name: '李红' },
    recordedAt: Math.floor(at),
    schemaVersion: 1 as const,
  });
  const records: KadianRecord[] = [];
  let fevers = 0;
  for (let i = 0; i < RECORDS_PER_DAY; i++) {
    const at = midnight + 7 * 3_600_000 + (i / RECORDS_PER_DAY) * 14 * 3_600_000;
    const household = Math.floor(random() * HOUSEHOLDS);
    const roll = random();
    if (roll < 0.7)
      records.push({
        ...envelope(at),
        kind: 'pass-scan',
        data: {
          passId: `p-${n}-${household}`,
          householdId: `hh-${n}-${household}`,
          direction: i % 2 ? 'in' : 'out',
          verdict: random() < 0.02 ? 'denied' : 'allowed',
        },
      } as KadianRecord);
    else if (roll < 0.92) {
      const fever = random() < 0.005;
      fevers += fever ? 1 : 0;
      records.push({
        ...envelope(at),
        kind: 'temperature',
        data: {
          subject: { type: 'pass', ref: `p-${n}-${household}` },
          celsius: fever ? 38.1 : 36.5,
          method: 'forehead',
          fever,
        },
      });
    } else
      records.push({
        ...envelope(at),
        kind: 'visitor-in',
        data: {
          name: '王五',
          idType: 'none',
          from: { region: '长沙', keyArea: false },
          visiting: `${household}栋501`,
          purpose: '送药',
        },
      });
  }
  records.push(...isolationDay(n, midnight, day, envelope));
  records.push({
    ...envelope(midnight + 20 * 3_600_000),
    kind: 'daily-report',
    data: {
      date: localDay(midnight + 12 * 3_600_000),
      place: {
        county: place.county ?? '',
        township: place.township ?? '',
        community: place.community ?? '',
        courtyard: place.courtyard ?? '',
      },
      counts: { ...emptyCounts(), passesIn: 63, passesOut: 63, temperatures: 40, fevers },
      zero: fevers === 0,
      volunteers: [{ name: '李红' }],
    },
  } as KadianRecord);
  return records;
}

/** Isolations of a checkpoint: one starts every 7 days, checked in daily, released on day 15. */
function isolationDay(
  n: number,
  midnight: number,
  day: number,
  envelope: (at: number) => Omit<KadianRecord, 'kind' | 'data'>,
): KadianRecord[] {
  const records: KadianRecord[] = [];
  for (let started = day - 14; started <= day; started++) {
    if (started < 0 || (started + n) % 7 !== 0) continue;
    const isolationId = `iso-${n}-${started}`;
    const at = midnight + 9 * 3_600_000;
    if (started === day)
      records.push({
        ...envelope(at),
        id: isolationId,
        kind: 'isolation-start',
        data: {
          address: `${n}栋${started}01`,
          members: [{ name: '张三丰' }, { name: '张翠山' }],
          phone: '13912345678',
          startDay: localDay(midnight + 12 * 3_600_000),
          days: 14,
          reason: '密切接触者',
          responsible: { checkpointId: `cp-${n}` },
        },
      } as KadianRecord);
    else if (day - started < 14)
      records.push({
        ...envelope(at),
        kind: 'isolation-check-in',
        data: {
          isolationId,
          symptomatic: false,
          how: 'door',
          reporter: '张三丰',
          readings: [
            { member: 0, celsius: 36.5, symptoms: [] },
            { member: 1, celsius: 36.6, symptoms: [] },
          ],
        },
      } as KadianRecord);
    else
      records.push({
        ...envelope(at),
        kind: 'isolation-end',
        data: { isolationId, outcome: 'completed', reason: '期满解除' },
      } as KadianRecord);
  }
  return records;
}
