import { useEffect } from 'preact/hooks';

/** Keeps the screen on while the gate screen is open; the lock is re-taken when the tab returns. */
export function useWakeLock(): void {
  useEffect(() => {
    let lock: WakeLockSentinel | undefined;
    let open = true;
    const acquire = async () => {
      if (!('wakeLock' in navigator) || document.visibilityState !== 'visible') return;
      try {
        lock = await navigator.wakeLock.request('screen');
        if (!open) await lock.release();
      } catch {
        // Refused (battery saver, no permission): the screen just times out as usual.
      }
    };
    const onVisibility = () => void acquire();
    void acquire();
    // The page this was added to, kept: the clean-up may run late (a test's page already gone).
    const page = document;
    page.addEventListener('visibilitychange', onVisibility);
    return () => {
      open = false;
      page.removeEventListener('visibilitychange', onVisibility);
      void lock?.release();
    };
  }, []);
}
