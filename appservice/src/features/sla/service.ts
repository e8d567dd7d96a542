import { MsgType } from 'matrix-js-sdk';
import { SLA_NOTICE_FIELD, type SlaNotice } from '@chattigo/contracts/event-types';
import type { SlaReport } from '@chattigo/contracts/sla';
import type { Role } from '@chattigo/contracts/roles';
import { chatForEvent, type ChatRepository } from '../chats/index.ts';
import { formatMoment, message, perLanguage, translate } from '../../i18n/index.ts';
import type { Language } from '@chattigo/contracts/language';
import type { RoomEvent } from '../../matrix/events.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { composeNotice, sharedLanguage, type LanguageOf, type NoticeService } from '../../matrix/notices.ts';
import type { EventContext, RoomEventHandler } from '../../matrix/processor.ts';
import type { Logger } from '../../observability/logger.ts';
import { asksSomething, dueActions, slaMsOf, step } from './model.ts';
import type { SlaRepository, StoredQuestion } from './repository.ts';

export interface SlaServiceDeps {
  repo: SlaRepository;
  chats: Pick<ChatRepository, 'find'>;
  gateway: Pick<MatrixGateway, 'usernameOf' | 'userIdFor'>;
  notices: Pick<NoticeService, 'send'>;
  languageOf: LanguageOf;
  /** The web client's public URL: escalations link to the chat's read-only review there. */
  publicUrl: string;
  /** Creates the bot's direct chat with a user (Matrix user id); returns its room id. */
  createDirectRoom(userId: string): Promise<string>;
  log: Logger;
  /** sla.defaultMinutes of the configuration (0: off). */
  defaultMinutes: number;
  now?: () => number;
}

/** How long an SLA is, as people read it: "5 min", "30 s". */
export function formatDuration(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round((ms / 60_000) * 10) / 10} min`;
}

/** The answer-time SLA: follows the questions of managed chats and sends what is due. */
export class SlaService {
  private readonly deps: SlaServiceDeps;
  private readonly now: () => number;
  private scanning: Promise<number> | undefined;

  constructor(deps: SlaServiceDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** The room handler: every agent message in a managed chat moves its question (model.ts). */
  handler(): RoomEventHandler {
    return { name: 'sla', handle: (event, context) => this.onEvent(event, context) };
  }

  async onEvent(event: RoomEvent, context?: EventContext): Promise<void> {
    if (event.type !== 'm.room.message' || event.state_key !== undefined) return;
    const msgtype = event.content['msgtype'];
    const body = event.content['body'];
    // Bot notices and commands to the bot (`!tipificaciones`) are neither questions nor answers.
    if (msgtype === MsgType.Notice || typeof body !== 'string' || body.trimStart().startsWith('!')) return;
    if ((event.content['m.relates_to'] as { rel_type?: unknown } | undefined)?.rel_type === 'm.replace') return;
    const sender = this.deps.gateway.usernameOf(event.sender);
    if (!sender) return;
    const chat = await chatForEvent(this.deps.chats, event.room_id, context);
    if (!chat || chat.status !== 'open') return;
    const { campaignMinutes, open } = await this.deps.repo.messageContext(chat.roomId, chat.campaignId);
    const slaMs = slaMsOf(campaignMinutes, this.deps.defaultMinutes);
    const next = step(open, { roomId: chat.roomId, eventId: event.event_id, sender, at: event.origin_server_ts, asks: asksSomething(body) }, [chat.openedBy, chat.peer], slaMs);
    if (next.kind === 'ask') await this.deps.repo.replace(chat.roomId, { ...next.question, campaignId: chat.campaignId });
    else if (next.kind === 'answer') await this.deps.repo.replace(chat.roomId, undefined);
  }

  /** Sends every reminder and escalation due now; one scan at a time. Returns how many were sent. */
  scan(): Promise<number> {
    this.scanning ??= this.scanOnce().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  private async scanOnce(): Promise<number> {
    const now = this.now();
    let sent = 0;
    for (const q of await this.deps.repo.due(new Date(now), 100)) {
      try {
        for (const action of dueActions(q, now)) {
          if (action === 'remind') await this.remind(q, now);
          else await this.escalate(q, now);
          sent++;
        }
      } catch (err) {
        this.deps.log.warn({ err, roomId: q.roomId, eventId: q.eventId }, 'could not send an SLA reminder or escalation; the next scan retries');
      }
    }
    return sent;
  }

  /** Names as people read them: display names, campaign names (ids when unknown). */
  private async namer(
    questions: readonly Pick<StoredQuestion, 'asker' | 'askee' | 'campaignId'>[],
  ): Promise<{ person(u: string): string; campaign(id: string | null): string }> {
    const { people, campaigns } = await this.deps.repo.names(
      questions.flatMap((q) => [q.asker, q.askee]),
      questions.flatMap((q) => (q.campaignId ? [q.campaignId] : [])),
    );
    return {
      person: (u) => people.get(u) ?? u,
      campaign: (id) => (id ? (campaigns.get(id) ?? id) : '—'),
    };
  }

  /** Where a supervisor reads a chat, read-only (the web client's review page). */
  private reviewLink(roomId: string): string {
    return new URL(`/supervision/chats/${encodeURIComponent(roomId)}`, this.deps.publicUrl).toString();
  }

  /** Reminds the agent asked, by name (a mention), in their language. */
  private async remind(q: StoredQuestion, now: number): Promise<void> {
    const names = await this.namer([q]);
    const askeeId = this.deps.gateway.userIdFor(q.askee);
    const notice = composeNotice({
      kind: 'sla.reminder',
      recipients: [askeeId],
      lang: sharedLanguage([await this.deps.languageOf(q.askee)]),
      text: message('sla.reminder', { askee: names.person(q.askee), asker: names.person(q.asker), sla: formatDuration(q.slaMs) }),
      // A pill, so that stock clients highlight the reminder for the one who must answer.
      mention: { param: 'askee', userId: askeeId },
    });
    await this.deps.notices.send(`sla-reminder:${q.eventId}`, q.roomId, { ...notice, fields: this.marker('reminder', q) }, q.eventId);
    await this.deps.repo.markReminded(q.eventId, new Date(now));
  }

  /** Tells each supervisor of the campaign, in their DM with the bot and their language. */
  private async escalate(q: StoredQuestion, now: number): Promise<void> {
    const supervisors = q.campaignId ? await this.deps.repo.supervisorsOf(q.campaignId) : [];
    const names = await this.namer([q]);
    for (const supervisor of supervisors) {
      const lang = sharedLanguage([await this.deps.languageOf(supervisor)]);
      const notice = composeNotice({
        kind: 'sla.escalation',
        recipients: [this.deps.gateway.userIdFor(supervisor)],
        lang,
        text: message('sla.escalation', {
          campaign: names.campaign(q.campaignId),
          asker: names.person(q.asker),
          askee: names.person(q.askee),
          sla: formatDuration(q.slaMs),
          asked: perLanguage((l) => formatMoment(l, q.askedAt)),
          link: this.reviewLink(q.roomId),
        }),
      });
      const roomId = await this.supervisorRoom(supervisor);
      await this.deps.notices.send(`sla-escalation:${q.eventId}:${supervisor}`, roomId, { ...notice, fields: this.marker('escalation', q) });
    }
    await this.deps.repo.escalate(q, new Date(now));
  }

  /** The machine-readable side of a reminder or escalation (SLA_NOTICE_FIELD), which the web client notifies about. */
  private marker(kind: SlaNotice['kind'], q: StoredQuestion): Record<string, unknown> {
    const field: SlaNotice = {
      kind,
      room_id: q.roomId,
      question: q.eventId,
      asker: this.deps.gateway.userIdFor(q.asker),
      askee: this.deps.gateway.userIdFor(q.askee),
      asked_at: q.askedAt,
      sla_seconds: q.slaMs / 1000,
    };
    return { [SLA_NOTICE_FIELD]: field };
  }

  /** The bot's direct chat with the supervisor, created (once) if there is none yet. */
  private async supervisorRoom(username: string): Promise<string> {
    const known = await this.deps.repo.supervisorRoom(username);
    if (known) return known;
    const roomId = await this.deps.createDirectRoom(this.deps.gateway.userIdFor(username));
    return this.deps.repo.saveSupervisorRoom(username, roomId);
  }

  /** The campaigns a caller oversees: a supervisor's own, every campaign for an admin (undefined). */
  async scopeOf(username: string, role: Role): Promise<readonly string[] | undefined> {
    return role === 'admin' ? undefined : this.deps.repo.campaignsOf(username);
  }

  /** Open questions past their SLA in the caller's campaigns. */
  async overdue(username: string, role: Role): Promise<StoredQuestion[]> {
    return this.deps.repo.overdue(new Date(this.now()), await this.scopeOf(username, role));
  }

  /** `GET /api/v1/supervision/sla`: overdue questions and the latest escalations in the caller's campaigns, with names. */
  async listing(username: string, role: Role, limit: number): Promise<SlaReport> {
    const scope = await this.scopeOf(username, role);
    const [overdue, escalations] = await Promise.all([this.overdue(username, role), this.deps.repo.escalations(scope, limit)]);
    const names = await this.namer([...overdue, ...escalations]);
    const common = (q: Pick<StoredQuestion, 'roomId' | 'eventId' | 'asker' | 'askee' | 'campaignId' | 'slaMs'>, askedAt: number) => ({
      roomId: q.roomId,
      eventId: q.eventId,
      asker: q.asker,
      askee: q.askee,
      askerName: names.person(q.asker),
      askeeName: names.person(q.askee),
      campaignId: q.campaignId,
      campaignName: q.campaignId ? names.campaign(q.campaignId) : null,
      askedAt: new Date(askedAt).toISOString(),
      slaSeconds: q.slaMs / 1000,
    });
    return {
      overdue: overdue.map((q) => ({ ...common(q, q.askedAt), reminded: q.reminded, escalated: q.escalated })),
      escalations: escalations.map((e) => ({ ...common(e, e.askedAt.getTime()), escalatedAt: e.escalatedAt.toISOString() })),
    };
  }

  /** The `!sla` reply. */
  async overdueReply(username: string, role: Role, lang: Language): Promise<string> {
    const open = await this.overdue(username, role);
    if (open.length === 0) return translate(lang, 'sla.command.none');
    const now = this.now();
    const names = await this.namer(open);
    const lines = open.map((q) =>
      translate(lang, 'sla.command.line', {
        asker: names.person(q.asker),
        askee: names.person(q.askee),
        campaign: names.campaign(q.campaignId),
        waiting: formatDuration(now - q.askedAt),
        link: this.reviewLink(q.roomId),
      }),
    );
    return [translate(lang, 'sla.command.title', { count: open.length }), ...lines].join('\n');
  }
}
