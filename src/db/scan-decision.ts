// A gate decision (see GateScreen): the pass's history read, then its scan saved, in one native
// read-write transaction, so nothing else (another tab, the worker) writes between what was read
// and what is saved, and the save does not wait for a transaction of its own.
import type { HistoryQuestion } from '../domain/pass';
import type { RecordOfKind } from '../domain/records';
import type { KadianDB } from './database';
import { nativeDb } from './native';
import { HISTORY_STORES, readHistory } from './passes';
import { SCAN_STORES, saveScan } from './records';

/**
 * The history and the save of one decision. The scan is saved in the history's transaction when it
 * is saved while the history's answer is handled (no other wait between, as the gate does); later,
 * in one of its own.
 */
export function scanDecision(db: KadianDB) {
  let tx: IDBTransaction | undefined;
  return {
    history: async (question: HistoryQuestion) => {
      tx = (await nativeDb(db)).transaction([...HISTORY_STORES, ...SCAN_STORES], 'readwrite');
      return readHistory(tx, question);
    },
    save: (record: RecordOfKind<'pass-scan'>) => saveScan(db, record, tx),
  };
}
