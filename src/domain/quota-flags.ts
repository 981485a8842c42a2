// Quota breaches that no single gate could see: two gates, both offline, each let the same
// household out within one quota window. Found after the fact, where the records meet (the
// receiver). Pure.
import type { Quota } from './config';
import { DAY_MS, localDay } from './day';

/** An allowed exit as the receiver has it from a `pass-scan` record. */
export interface Exit {
  recordId: string;
  passId: string;
  householdId: string;
  deviceId: string;
  checkpointId: string;
  at: number;
}

/** An exit that went over the quota, with the household's exits in its window (itself last). */
export interface QuotaFlag {
  /** The device-local day of the exit over the quota (the receiver's time zone). */
  date: string;
  passId: string;
  householdId: string;
  exit: Exit;
  window: Exit[];
  /** True when the window's exits were allowed at more than one device (no gate could see it). */
  acrossDevices: boolean;
}

/**
 * Every exit that made its household's count within the rolling window (`quota.days` × 24 h up to
 * and including the exit) exceed `quota.n`. Exits are taken in time order, ties by record id.
 */
export function quotaFlags(exits: readonly Exit[], quota: Quota): QuotaFlag[] {
  const byHousehold = new Map<string, Exit[]>();
  for (const exit of exits) {
    const list = byHousehold.get(exit.householdId) ?? [];
    list.push(exit);
    byHousehold.set(exit.householdId, list);
  }
  const flags: QuotaFlag[] = [];
  for (const list of byHousehold.values()) {
    list.sort((a, b) => a.at - b.at || (a.recordId < b.recordId ? -1 : 1));
    let start = 0;
    list.forEach((exit, i) => {
      // The device counts exits at or after now − window: the same bounds here.
      while ((list[start] as Exit).at < exit.at - quota.days * DAY_MS) start++;
      const window = list.slice(start, i + 1);
      if (window.length <= quota.n) return;
      flags.push({
        date: localDay(exit.at),
        passId: exit.passId,
        householdId: exit.householdId,
        exit,
        window,
        acrossDevices: new Set(window.map((item) => item.deviceId)).size > 1,
      });
    });
  }
  return flags.sort((a, b) => a.exit.at - b.exit.at);
}
