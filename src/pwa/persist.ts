// Asks the browser to keep this origin's data when space runs low (an installed app is usually
// granted it), and says whether it agreed.

/** Requests persistent storage; true when the browser keeps the data. */
export async function requestPersistentStorage(): Promise<boolean> {
  if (!navigator.storage?.persist) return false;
  return (await navigator.storage.persisted()) || navigator.storage.persist();
}
