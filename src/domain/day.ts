import { endOfDay, lightFormat, parseISO, startOfDay } from 'date-fns';

/** The device-local calendar day (YYYY-MM-DD) a moment falls on. */
export function localDay(ms: number): string {
  return lightFormat(ms, 'yyyy-MM-dd');
}

/** First and last millisecond of a device-local day, both inclusive. */
export function dayBounds(day: string): [number, number] {
  const date = parseISO(day);
  return [startOfDay(date).getTime(), endOfDay(date).getTime()];
}
