// Asks the browser to keep this origin's data when space runs low (an installed app is usually
// granted it), and says whether it agreed; and how much of its storage quota the app uses.

/** Requests persistent storage; true when the browser keeps the data. */
export async function requestPersistentStorage(): Promise<boolean> {
  if (!navigator.storage?.persist) return false;
  return (await navigator.storage.persisted()) || navigator.storage.persist();
}

export interface StorageUse {
  usage: number;
  quota: number;
}

/** Warn from this share of the quota, or when less than this much is left. */
const WARN_SHARE = 0.8;
const WARN_FREE_BYTES = 50 * 1024 * 1024;

/** What the origin uses of its quota, where the browser says. */
export async function storageUse(): Promise<StorageUse | undefined> {
  if (!navigator.storage?.estimate) return undefined;
  const { usage, quota } = await navigator.storage.estimate();
  return usage === undefined || !quota ? undefined : { usage, quota };
}

/** True when storage is nearly full: 80% of the quota used, or under 50 MB left. */
export const storageLow = (use: StorageUse) =>
  use.usage >= WARN_SHARE * use.quota || use.quota - use.usage < WARN_FREE_BYTES;
