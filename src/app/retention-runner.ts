// Removes uploaded records past the provisioned retention: when the app starts, then once a day
// while it stays open. Records not uploaded are never removed (the upload screen warns instead).
import type { KadianDB } from '../db/database';
import { purgeOld } from '../db/retention';
import { DAY_MS } from '../domain/day';

export function startRetention(db: KadianDB, days: number): () => void {
  const purge = () =>
    void purgeOld(db, days, Date.now()).catch((error) => console.error('purge failed', error));
  purge();
  const timer = setInterval(purge, DAY_MS);
  return () => clearInterval(timer);
}
