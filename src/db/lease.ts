// A lease in the meta table, for browsers without navigator.locks: taken in a transaction (so two
// contexts cannot both take it), and free again once it expires if its holder died holding it.
import type { KadianDB } from './database';

interface Lease {
  holder: string;
  until: number;
}

export async function takeLease(
  db: KadianDB,
  name: string,
  holder: string,
  now: number,
  ms: number,
): Promise<boolean> {
  return db.transaction('rw', db.meta, async () => {
    const current = (await db.meta.get(`lease:${name}`))?.value as Lease | undefined;
    if (current && current.holder !== holder && current.until > now) return false;
    await db.meta.put({ key: `lease:${name}`, value: { holder, until: now + ms } });
    return true;
  });
}

export async function releaseLease(db: KadianDB, name: string, holder: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const current = (await db.meta.get(`lease:${name}`))?.value as Lease | undefined;
    if (current?.holder === holder) await db.meta.delete(`lease:${name}`);
  });
}
