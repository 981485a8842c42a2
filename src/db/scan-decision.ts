// A gate decision (see GateScreen): the pass's history read, then its scan saved, in one native
// read-write transaction, so nothing else (another tab, the worker) writes between what was read
// and what is saved, and the save does not wait for a transaction of its own.
import type { HistoryQuestion } from '../domain/pass';
import type { RecordOfKind } from '../domain/records';
import type { DayTally, KadianDB } from './database';
import { nativeDb } from './native';
import { HISTORY_STORES, readHistory } from './passes';
import { SCAN_STORES, type ScanTransaction, saveScan } from './records';

/**
 * The history and the save of one decision. The scan is saved in the history's transaction when it
 * is saved while the history's answer is handled (no other wait between, as the gate does); later,
 * in one of its own. The figures row of `day` ([checkpointId, day]: where the scan will be counted)
 * is asked for first, so the save writes it without a further round trip.
 */
export function scanDecision(db: KadianDB, day: [string, string]) {
  let within: ScanTransaction | undefined;
  return {
    history: async (question: HistoryQuestion) => {
      const tx = (await nativeDb(db)).transaction([...HISTORY_STORES, ...SCAN_STORES], 'readwrite');
      const row = tx.objectStore('days').get(day) as IDBRequest<DayTally | undefined>;
      within = { tx, day: { key: day, row } };
      return readHistory(tx, question);
    },
    save: (record: RecordOfKind<'pass-scan'>) => saveScan(db, record, within),
  };
}
