/**
 * @packageDocumentation
 * The one way dates and times are shown to people: "7 december 2026" in Dutch, "7 December 2026"
 * in English, and with a time "7 december 2026, 14:05". Every card, message and notice uses these.
 *
 * @remarks Shown in Dutch time (Europe/Amsterdam): users are in the Netherlands, and a deadline at
 * 00:00 UTC must read as the day it falls on there. A plain `YYYY-MM-DD` (an appointment day) is a
 * calendar day, not an instant, so it is shown as that day whatever the time zone.
 */

import type { Locale } from './vocabulary';

export const DISPLAY_TIME_ZONE = 'Europe/Amsterdam';

const INTL_LOCALES: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };
const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function toDate(value: string | Date): { date: Date; zone: string } {
  if (value instanceof Date) return { date: value, zone: DISPLAY_TIME_ZONE };
  // Noon UTC of a calendar day is that same day in every European time zone.
  if (DAY_ONLY.test(value)) return { date: new Date(`${value}T12:00:00Z`), zone: 'UTC' };
  return { date: new Date(value), zone: DISPLAY_TIME_ZONE };
}

/** "7 december 2026" / "7 December 2026", for a `YYYY-MM-DD` day, an ISO time or a `Date`. */
export function formatDay(value: string | Date, locale: Locale): string {
  const { date, zone } = toDate(value);
  return new Intl.DateTimeFormat(INTL_LOCALES[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: zone }).format(date);
}

/** "7 december 2026, 14:05" / "7 December 2026, 14:05": a day with a 24-hour time, in Dutch time. */
export function formatDayTime(value: string | Date, locale: Locale): string {
  const { date, zone } = toDate(value);
  const time = new Intl.DateTimeFormat(INTL_LOCALES[locale], { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: zone }).format(
    date,
  );
  return `${formatDay(value, locale)}, ${time}`;
}
