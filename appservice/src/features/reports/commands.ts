import type { Language } from '@chattigo/contracts/language';
import { humanDuration, type Report } from '@chattigo/contracts/reports';
import { arg, ok, optional, problem, type ArgResult } from '../../commands/args.ts';
import { commandWords, defineCommand, type Command, type CommandContext } from '../../commands/command.ts';
import { AppError } from '../../errors.ts';
import { joinList, localized, message, translate } from '../../i18n/index.ts';
import { isLocalDate } from './periods.ts';
import type { ReportService, Viewer } from './service.ts';

/** Rows of the bot's summary; the rest is in the client's supervisor section. */
const TOP = 5;

const date = (key: 'from' | 'to', placeholder: 'reports.args.from' | 'reports.args.to') =>
  optional(arg(key, localized(placeholder), (t) => (isLocalDate(t.text.trim()) ? ok(t.text.trim()) : problem('reports.badDate', { date: t.text }))));

/** The first argument is a campaign or, when it looks like one, the first date. */
const campaignOrDate = optional(
  arg('first', localized('reports.args.campaign'), (t): ArgResult<{ campaign?: string; date?: string }> => {
    const text = t.text.trim().toLowerCase();
    if (isLocalDate(text)) return ok({ date: text });
    return /^[a-z0-9][a-z0-9_-]{0,63}$/.test(text) ? ok({ campaign: text }) : problem('reports.unknownCampaign', { campaign: t.text });
  }),
);

function viewer(ctx: CommandContext): Viewer {
  if (!ctx.caller.username || !ctx.caller.role) throw new AppError(403, 'M_FORBIDDEN', message('session.notAllowed'));
  return { username: ctx.caller.username, role: ctx.caller.role };
}

/** `!reporte [campaña] [desde] [hasta]` / `!report …`: a short table of a report, and where the rest is. */
export function reportCommands(reports: ReportService, options: { sectionUrl: string }): Command[] {
  return [
    defineCommand({
      id: 'reports.report',
      ...commandWords('reports.words.report'),
      args: [campaignOrDate, date('from', 'reports.args.from'), date('to', 'reports.args.to')],
      roles: ['supervisor', 'admin'],
      scopes: ['direct'],
      summary: localized('reports.report.summary'),
      details: localized('reports.report.details'),
      run: async (ctx, a) => {
        const campaign = a.first?.campaign;
        // `!reporte 2026-03-01 2026-03-31`: the dates moved one place left.
        const [from, to] = a.first?.date ? [a.first.date, a.from] : [a.from, a.to];
        const query = { by: 'typification' as const, ...(campaign ? { campaign } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
        const report = await reports.report(viewer(ctx), query, ctx.lang);
        const params = new URLSearchParams({ desde: report.from, hasta: report.to, ...(campaign ? { campana: campaign } : {}) });
        return summary(report, ctx.lang, `${options.sectionUrl}?${params.toString()}`);
      },
    }),
  ];
}

/** The bot's reply: header, totals, the top typifications and the link to the rest. */
export function summary(report: Report, lang: Language, link: string): string {
  const campaigns = joinList(
    lang,
    report.campaigns.map((c) => c.name),
  );
  const lines = [translate(lang, 'reports.reply.header', { from: report.from, to: report.to, campaigns: campaigns || '—' })];
  if (report.total.closed === 0) {
    lines.push(translate(lang, 'reports.reply.none'));
  } else {
    const { total } = report;
    lines.push(
      translate(lang, 'reports.reply.total', {
        closed: total.closed,
        median: humanDuration(total.duration.median),
        p90: humanDuration(total.duration.p90),
        answerMedian: humanDuration(total.firstAnswer.median),
        answerP90: humanDuration(total.firstAnswer.p90),
      }),
      translate(lang, 'reports.reply.top'),
      ...report.rows
        .slice(0, TOP)
        .map((r) => translate(lang, 'reports.reply.row', { code: r.key, label: r.label, closed: r.closed, median: humanDuration(r.duration.median) })),
    );
    if (report.rows.length > TOP) lines.push(translate(lang, 'reports.reply.more', { count: report.rows.length - TOP }));
    if (report.approximate) lines.push(translate(lang, 'reports.reply.approximate'));
  }
  lines.push(translate(lang, 'reports.reply.link', { link }));
  return lines.join('\n');
}
