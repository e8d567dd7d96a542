/**
 * Days and weeks in a campaign's time zone. A report's `from` and `to` are local dates; each
 * campaign's closed chats are read between its own local midnights, computed here as UTC instants
 * (so the database compares plain timestamps and needs no time-zone arithmetic per row).
 */

/** A local date `YYYY-MM-DD`. */
export type LocalDate = string;

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at `instant`, as if it were UTC (ms). */
function wallClock(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
}

const utcOfDate = (date: LocalDate) => Date.parse(`${date}T00:00:00Z`);

/** Whether `date` is a real calendar date `YYYY-MM-DD`. */
export function isLocalDate(date: string): date is LocalDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const ms = utcOfDate(date);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

/**
 * The instant the local day `date` starts in `timeZone`: local midnight, or the first moment of
 * the day when a daylight-saving change skips midnight (Chile moves its clocks at 24:00).
 */
export function startOfDay(date: LocalDate, timeZone: string): Date {
  const target = utcOfDate(date);
  let guess = target - (wallClock(target, timeZone) - target);
  // A second pass settles an offset that differs on either side of a change.
  guess = target - (wallClock(guess, timeZone) - guess);
  // Midnight skipped: the clock still reads the day before; the day starts when it jumps.
  const wall = wallClock(guess, timeZone);
  if (wall < target) guess += target - wall;
  return new Date(guess);
}

/** The local date of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): LocalDate {
  return new Date(wallClock(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(utcOfDate(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.max(0, Math.round((utcOfDate(to) - utcOfDate(from)) / DAY_MS) + 1);
}

/** The Monday of the ISO week of `date`. */
export function weekStart(date: LocalDate): LocalDate {
  const weekday = (new Date(utcOfDate(date)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(date, -weekday);
}

/** A stretch of local days, `from` to `to` included, named by `key` (its first day, or `all`). */
export interface Period {
  key: string;
  from: LocalDate;
  to: LocalDate;
}

/**
 * The periods that split `from`…`to`: one for the whole range, one per day, or one per ISO week
 * (a week cut by the range keeps the key of its Monday but covers only the days in the range).
 */
export function periods(from: LocalDate, to: LocalDate, split: 'none' | 'day' | 'week'): Period[] {
  const count = daysBetween(from, to);
  if (count === 0) return [];
  if (split === 'none') return [{ key: 'all', from, to }];
  const out: Period[] = [];
  for (let i = 0; i < count; i++) {
    const day = addDays(from, i);
    if (split === 'day') {
      out.push({ key: day, from: day, to: day });
      continue;
    }
    const monday = weekStart(day);
    const last = out[out.length - 1];
    if (last && last.key === monday) last.to = day;
    else out.push({ key: monday, from: day, to: day });
  }
  return out;
}

/** The instants [start, end) that a period covers in `timeZone`. */
export function instants(period: Period, timeZone: string): { start: Date; end: Date } {
  return { start: startOfDay(period.from, timeZone), end: startOfDay(addDays(period.to, 1), timeZone) };
}
