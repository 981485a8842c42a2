import { useEffect, useRef, useState } from 'preact/hooks';
import type { KadianDB } from '../../db/database';
import { readMeta, writeMeta } from '../../db/settings';

const CHECK_MS = 15_000;
const SAVE_ACTIVITY_MS = 30_000;

/**
 * Locks the app when nobody has touched it for `idleMinutes` (also across a reload: the last touch
 * is kept), once the volunteer on duty has a PIN; lock() locks at once (a hand-over).
 */
export function useShiftLock(db: KadianDB, idleMinutes: number | undefined) {
  const [locked, setLocked] = useState(false);
  const lastTouch = useRef(Date.now());
  useEffect(() => {
    if (idleMinutes === undefined) return;
    const idleMs = idleMinutes * 60_000;
    let saved = 0;
    let hasPin = false;
    void Promise.all([readMeta(db, 'shiftPin'), readMeta(db, 'lastActive')]).then(([pin, last]) => {
      hasPin = pin !== undefined;
      if (hasPin && last !== undefined && Date.now() - last > idleMs) setLocked(true);
    });
    const touched = () => {
      lastTouch.current = Date.now();
      if (lastTouch.current - saved < SAVE_ACTIVITY_MS) return;
      saved = lastTouch.current;
      void writeMeta(db, 'lastActive', saved).catch(() => {});
    };
    const check = () => {
      void readMeta(db, 'shiftPin').then((pin) => {
        hasPin = pin !== undefined;
        if (hasPin && Date.now() - lastTouch.current > idleMs) setLocked(true);
      });
    };
    touched();
    window.addEventListener('pointerdown', touched);
    window.addEventListener('keydown', touched);
    const timer = setInterval(check, CHECK_MS);
    return () => {
      window.removeEventListener('pointerdown', touched);
      window.removeEventListener('keydown', touched);
      clearInterval(timer);
    };
  }, [db, idleMinutes]);
  return {
    locked,
    lock: () => setLocked(true),
    unlock: () => {
      lastTouch.current = Date.now();
      setLocked(false);
    },
  };
}
