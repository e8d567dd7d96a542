import type { ReportGrouping } from '@chattigo/contracts/reports';
import { sql, type AliasableExpression, type Expression, type ExpressionBuilder } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import { countRows, queryBuilder, type DB } from '../../db/kysely.ts';
import type { Histogram } from './histogram.ts';

/** A campaign a report may cover; `id` '' stands for the chats that have no campaign. */
export interface ReportCampaign {
  id: string;
  name: string;
  timeZone: string | null;
}

/**
 * The closed chats of one campaign from the first period's start to `end`, each counted under
 * the period it falls in (periods in order, each from its `start` to the next one's).
 */
export interface Slice {
  campaign: string;
  periods: readonly { key: string; start: Date }[];
  end: Date;
}

/** One row of figures: durations in milliseconds. */
export interface Figures {
  key: string;
  label: string | null;
  closed: number;
  answered: number;
  duration: { median: number | null; p90: number | null };
  firstAnswer: { median: number | null; p90: number | null };
}

/** Which rollup rows a report reads: per group, the figures of the chats closed up to a local day. */
export type RollupDim = 'all' | 'typification' | 'opener' | 'closer';

/**
 * One group's figures over every chat closed on `at` or before (local days of the campaign), as
 * the rollup keeps them (migration 130): a range is the difference of two of these.
 */
export interface Cumulative {
  campaign: string;
  /** The local day asked for (the row read is the latest on or before it). */
  at: string;
  value: string;
  label: string | null;
  closed: number;
  answered: number;
  duration: Histogram;
  firstAnswer: Histogram;
}

export interface ReportRepository {
  /** Campaigns by id, or all of them (with the no-campaign group) for `all`. */
  campaigns(ids: readonly string[] | 'all'): Promise<ReportCampaign[]>;
  /** The campaigns an account belongs to (a supervisor's are the ones they supervise). */
  campaignsOf(username: string): Promise<string[]>;
  /** Figures per group and over all the slices. */
  figures(slices: readonly Slice[], by: ReportGrouping): Promise<{ rows: Figures[]; total: Figures }>;
  displayNames(usernames: readonly string[]): Promise<Map<string, string>>;
  /** The rollup's figures of each group of `dim` up to each of the local days asked for per campaign (groups without chats by then are left out). */
  cumulative(asked: readonly { campaign: string; days: readonly string[] }[], dim: RollupDim): Promise<Cumulative[]>;
  /** The time zone the rollup counts campaigns without their own in; rebuilds what depends on it when it changes. */
  useDefaultTimeZone(zone: string): Promise<boolean>;
  /** Records when `username` (the agent who did not open the chat) wrote in it, keeping the earliest; false when nothing changed. */
  recordFirstAnswer(roomId: string, username: string, at: Date): Promise<boolean>;
}

/** One campaign's range and period starts, as the figures query reads them (json_to_recordset's `p`). */
interface SliceParam {
  campaign: string;
  lo: Date;
  hi: Date;
  starts: Date[];
  keys: string[];
}

/** What the figures query sees: the slices `p` joined to their closed chats `c`. */
type Sliced = ExpressionBuilder<DB & { p: SliceParam; c: DB['chats'] }, 'p' | 'c'>;

/**
 * The group key and label of each grouping. A closed chat has a typification and a closer
 * (chats' CHECK) and falls in one of its campaign's periods, so a key is NULL only in the types.
 */
const keyOf: Record<ReportGrouping, (eb: Sliced) => { key: AliasableExpression<string | null>; label: AliasableExpression<string | null> }> = {
  typification: (eb) => ({ key: eb.ref('c.typification_code'), label: eb.fn.max('c.typification_label') }),
  campaign: (eb) => ({ key: eb.ref('p.campaign'), label: sql<null>`NULL` }),
  opener: (eb) => ({ key: eb.ref('c.opened_by'), label: sql<null>`NULL` }),
  closer: (eb) => ({ key: eb.ref('c.closed_by'), label: sql<null>`NULL` }),
  day: (eb) => ({ key: sql<string | null>`${eb.ref('p.keys')}[width_bucket(${eb.ref('c.closed_at')}, ${eb.ref('p.starts')})]`, label: sql<null>`NULL` }),
  week: (eb) => keyOf.day(eb),
};

/** The figures of the chats of a group (or of all the slices). */
const measures = (eb: Sliced) =>
  [
    countRows().as('closed'),
    eb.cast<number>(eb.fn.count('c.first_answer_ms'), 'integer').as('answered'),
    sql<unknown>`percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${eb.ref('c.duration_ms')})`.as('duration'),
    sql<unknown>`percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${eb.ref('c.first_answer_ms')})`.as('first_answer'),
  ] as const;

/** percentile_cont(ARRAY[0.5, 0.9]) as `[median, p90]` (an array, or its text form); null for an empty group. */
function pair(value: unknown): { median: number | null; p90: number | null } {
  const list: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.replace(/[{}]/g, '').split(',') : [];
  const num = (v: unknown) => (v === null || v === undefined || v === 'NULL' ? null : Number(v));
  return { median: num(list[0]), p90: num(list[1]) };
}

const toFigures = (r: { key: string | null; label: string | null; closed: number; answered: number; duration: unknown; first_answer: unknown }): Figures => ({
  key: r.key ?? '',
  label: r.label,
  closed: r.closed,
  answered: r.answered,
  duration: pair(r.duration),
  firstAnswer: pair(r.first_answer),
});

/** Above this many days asked per campaign, reading the whole range is cheaper than one lookup per day. */
const MANY_DAYS = 16;

/** A cumulative row as read: the histograms as text. */
type CumulativeRow = Omit<Cumulative, 'duration' | 'firstAnswer'> & { duration_hist: string; answer_hist: string };

/**
 * A histogram sent as text ('3,,1': array_to_string with NULL as ''), which is much cheaper to
 * read than the driver's array parser over a report's thousands of buckets.
 */
const counts = (text: string): number[] => (text === '' ? [] : text.split(',').map(Number));

/** What the cumulative queries see: the asked campaigns `b` and the rollup rows `r` picked for them. */
type Picked = ExpressionBuilder<{ r: Pick<DB['chat_rollup'], 'day' | 'value' | 'label' | 'closed' | 'answered' | 'duration_hist' | 'answer_hist'> }, 'r'>;

/** A picked row's columns; the histograms go out as text, converted after DISTINCT ON picked its rows (not for every row it scans). */
const cumulativeFields = (eb: Picked) =>
  [
    eb.ref('r.value').as('value'),
    eb.ref('r.label').as('label'),
    eb.cast<number>('r.closed', 'integer').as('closed'),
    eb.cast<number>('r.answered', 'integer').as('answered'),
    eb.fn<string>('array_to_string', ['r.duration_hist', sql.lit(','), sql.lit('')]).as('duration_hist'),
    eb.fn<string>('array_to_string', ['r.answer_hist', sql.lit(','), sql.lit('')]).as('answer_hist'),
  ] as const;

const rollupColumns = ['r.day', 'r.value', 'r.label', 'r.closed', 'r.answered', 'r.duration_hist', 'r.answer_hist'] as const;

export function createReportRepository(db: Queryable): ReportRepository {
  const qb = queryBuilder(db);

  // Each campaign is one index range scan of chats_report (migration 100: the status and the
  // COALESCE are literals, as in its predicate and expression); a chat's day or week is found
  // among the campaign's period starts (width_bucket): no time-zone arithmetic per row.
  const sliced = (slices: readonly Slice[]) => {
    const param = JSON.stringify(
      slices.map((s) => ({
        campaign: s.campaign,
        lo: s.periods[0]?.start.toISOString() ?? s.end.toISOString(),
        hi: s.end.toISOString(),
        starts: s.periods.map((p) => p.start.toISOString()),
        keys: s.periods.map((p) => p.key),
      })),
    );
    return qb
      .selectFrom(
        sql<SliceParam>`json_to_recordset(${param}::json)`.as<'p'>(sql`p(campaign text, lo timestamptz, hi timestamptz, starts timestamptz[], keys text[])`),
      )
      .innerJoin('chats as c', (join) =>
        join
          .on('c.status', '=', sql.lit('closed'))
          .on((eb) => eb(eb.fn.coalesce('c.campaign_id', sql.lit('')), '=', eb.ref('p.campaign')))
          .onRef('c.closed_at', '>=', 'p.lo')
          .onRef('c.closed_at', '<', 'p.hi'),
      );
  };

  const rollup = (dim: RollupDim, campaign: Expression<string>) =>
    qb.selectFrom('chat_rollup as r').select(rollupColumns).where('r.dim', '=', dim).where('r.campaign', '=', campaign);
  /** Each group's latest row of the campaign on or before `day`: a backward scan of the primary key. */
  const latest = (dim: RollupDim, campaign: Expression<string>, day: Expression<string>) =>
    rollup(dim, campaign).distinctOn('r.value').where('r.day', '<=', day).orderBy('r.value', 'desc').orderBy('r.day', 'desc');

  return {
    async campaigns(ids) {
      const campaigns = qb.selectFrom('campaigns').select(['id', 'name', 'time_zone']);
      const rows =
        ids === 'all'
          ? await campaigns
              // Closed chats without a campaign are in the rollup under '' (migration 130).
              .unionAll(
                qb
                  .selectNoFrom([sql<string>`''`.as('id'), sql<string>`''`.as('name'), sql<string | null>`NULL`.as('time_zone')])
                  .where(({ exists, selectFrom }) => exists(selectFrom('chat_rollup').select(sql.lit(1).as('one')).where('campaign', '=', ''))),
              )
              .orderBy('name')
              .execute()
          : await campaigns
              .where((eb) => eb('id', '=', eb.fn.any(eb.val([...ids]))))
              .orderBy('name')
              .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, timeZone: r.time_zone }));
    },
    async campaignsOf(username) {
      const rows = await qb.selectFrom('memberships').select('campaign_id').where('username', '=', username).execute();
      return rows.map((r) => r.campaign_id);
    },
    async figures(slices, by) {
      const [rows, totals] = await Promise.all([
        sliced(slices)
          .select((eb) => {
            const { key, label } = keyOf[by](eb);
            return [key.as('key'), label.as('label'), ...measures(eb)];
          })
          .groupBy((eb) => [keyOf[by](eb).key])
          .orderBy('closed', 'desc')
          .orderBy('key')
          .execute(),
        sliced(slices)
          .select((eb) => [sql<string>`'total'`.as('key'), sql<null>`NULL`.as('label'), ...measures(eb)])
          .execute(),
      ]);
      const total = totals[0];
      return {
        rows: rows.map(toFigures),
        total: total ? toFigures(total) : { key: 'total', label: null, closed: 0, answered: 0, duration: pair(null), firstAnswer: pair(null) },
      };
    },
    async displayNames(usernames) {
      if (usernames.length === 0) return new Map();
      const rows = await qb
        .selectFrom('accounts')
        .select(['username', 'display_name'])
        .where((eb) => eb('username', '=', eb.fn.any(eb.val([...usernames]))))
        .execute();
      return new Map(rows.map((r) => [r.username, r.display_name]));
    },
    async cumulative(asked, dim) {
      const toCumulative = (r: CumulativeRow, at: string): Cumulative => ({
        campaign: r.campaign,
        at,
        value: r.value,
        label: r.label,
        closed: r.closed,
        answered: r.answered,
        duration: counts(r.duration_hist),
        firstAnswer: counts(r.answer_hist),
      });
      const few = asked.filter((a) => a.days.length > 0 && a.days.length <= MANY_DAYS);
      const many = asked.filter((a) => a.days.length > MANY_DAYS);
      const out: Cumulative[] = [];
      if (few.length > 0) {
        // Per asked day, each group's latest row on or before it.
        const param = JSON.stringify(few.flatMap((a) => a.days.map((day) => ({ campaign: a.campaign, day }))));
        const rows = await qb
          .selectFrom(sql<{ campaign: string; day: string }>`json_to_recordset(${param}::json)`.as<'b'>(sql`b(campaign text, day date)`))
          .crossJoinLateral((eb) => latest(dim, eb.ref('b.campaign'), eb.ref('b.day')).as('r'))
          .select((eb) => ['b.campaign', eb.fn<string>('to_char', ['b.day', sql.lit('YYYY-MM-DD')]).as('at'), ...cumulativeFields(eb)])
          .execute();
        out.push(...rows.map((r) => toCumulative(r, r.at)));
      }
      if (many.length > 0) {
        // Many days (a report by day or week): every row between the first and the last day asked,
        // and each group's latest before; the latest on or before each day is picked here.
        const bounds = many.map((a) => ({ campaign: a.campaign, lo: a.days.reduce((x, y) => (y < x ? y : x)), hi: a.days.reduce((x, y) => (y > x ? y : x)) }));
        const rows = await qb
          .selectFrom(sql<{ campaign: string; lo: string; hi: string }>`json_to_recordset(${JSON.stringify(bounds)}::json)`.as<'b'>(sql`b(campaign text, lo date, hi date)`))
          .crossJoinLateral((eb) =>
            rollup(dim, eb.ref('b.campaign'))
              .where('r.day', '>', eb.ref('b.lo'))
              .where('r.day', '<=', eb.ref('b.hi'))
              .unionAll(eb.parens(latest(dim, eb.ref('b.campaign'), eb.ref('b.lo'))))
              .as('r'),
          )
          .select((eb) => ['b.campaign', eb.fn<string>('to_char', ['r.day', sql.lit('YYYY-MM-DD')]).as('at'), ...cumulativeFields(eb)])
          .orderBy('b.campaign')
          .orderBy('r.value')
          .orderBy('r.day')
          .execute();
        for (const a of many) {
          const mine = rows.filter((r) => r.campaign === a.campaign);
          for (const day of a.days) {
            const latest = new Map<string, CumulativeRow>();
            for (const r of mine) if (r.at <= day) latest.set(r.value, r);
            for (const r of latest.values()) out.push(toCumulative(r, day));
          }
        }
      }
      return out;
    },
    async useDefaultTimeZone(zone) {
      const row = await qb
        .selectNoFrom((eb) => eb.fn<boolean>('chat_rollup_use_default_zone', [eb.val(zone)]).as('changed'))
        .executeTakeFirst();
      return row?.changed === true;
    },
    async recordFirstAnswer(roomId, username, at) {
      const rows = await qb
        .updateTable('chats')
        .set({ first_answer_at: at })
        .where('room_id', '=', roomId)
        .where('peer', '=', username)
        .where((eb) => eb.or([eb('first_answer_at', 'is', null), eb('first_answer_at', '>', at)]))
        .where('opened_at', '<=', at)
        .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', at)]))
        .returning('room_id')
        .execute();
      return rows.length === 1;
    },
  };
}
