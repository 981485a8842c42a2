import { useEffect, useState } from 'preact/hooks';

/** The clock, every `everyMs`: for what changes with the time (an SMS offered, a deadline near). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
