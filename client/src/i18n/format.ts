import type { Language } from '@chattigo/contracts/language';

const locales: Record<Language, string> = { es: 'es', en: 'en' };

/** "14:05" (es) / "2:05 PM" (en). */
export function formatTime(lang: Language, date: Date): string {
  return new Intl.DateTimeFormat(locales[lang], { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** "24 nov 2026, 14:05". */
export function formatDateTime(lang: Language, date: Date): string {
  return new Intl.DateTimeFormat(locales[lang], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "martes, 24 de noviembre". */
export function formatDay(lang: Language, date: Date): string {
  return new Intl.DateTimeFormat(locales[lang], { weekday: 'long', day: 'numeric', month: 'long' }).format(date);
}

/** Whole calendar days from `date` to `now` in local time (0 = same day, 1 = yesterday). */
export function daysAgo(date: Date, now: Date): number {
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return Math.round((start(now) - start(date)) / 86_400_000);
}

const units = ['B', 'KB', 'MB', 'GB'] as const;

/** A byte count as people read it: "812 B", "1,5 MB" (es) / "1.5 MB" (en); binary multiples. */
export function formatBytes(lang: Language, bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  const number = new Intl.NumberFormat(locales[lang], { maximumFractionDigits: digits }).format(value);
  return `${number} ${units[unit]}`;
}

/** "José, María y Ana" / "José, María and Ana". */
export function formatList(lang: Language, items: readonly string[]): string {
  return new Intl.ListFormat(locales[lang], { style: 'long', type: 'conjunction' }).format(items);
}

/** "lunes" / "Monday". */
export function formatWeekday(lang: Language, date: Date): string {
  return new Intl.DateTimeFormat(locales[lang], { weekday: 'long' }).format(date);
}

/** "24 nov" in the current year, "24/11/2025" before it. */
export function formatShortDate(lang: Language, date: Date, now: Date): string {
  const options: Intl.DateTimeFormatOptions =
    date.getFullYear() === now.getFullYear() ? { day: 'numeric', month: 'short' } : { day: '2-digit', month: '2-digit', year: 'numeric' };
  return new Intl.DateTimeFormat(locales[lang], options).format(date);
}

/**
 * When something happened, as a list row says it: today "14:05", in the past six days the
 * weekday ("lunes"), older a date ("24 nov", "24/11/2025").
 */
export function formatListStamp(lang: Language, date: Date, now: Date): string {
  const ago = daysAgo(date, now);
  if (ago <= 0) return formatTime(lang, date);
  if (ago < 7) return formatWeekday(lang, date);
  return formatShortDate(lang, date, now);
}
