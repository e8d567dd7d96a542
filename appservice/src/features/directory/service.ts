import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { FieldProblem } from '../../validation.ts';
import type { WorkloadPublisher } from './live-relay.ts';
import { searchWords } from './normalize.ts';
import type { PresencePublisher } from './presence-out.ts';
import type { DirectoryRepository, PresenceUpdate, WorkloadTransition } from './repository.ts';
import type { DirectoryPage, DirectoryQuery, ReportOutcome, WorkloadChange, WorkloadReport } from '@chattigo/contracts/directory';
import type { SpaceStatePublisher } from './space-state.ts';

/** A report may be at most this far ahead of the appservice's clock (clock skew). */
export const MAX_REPORT_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface DirectoryServiceDeps {
  repository: DirectoryRepository;
  /** The live streams of every process (live-relay.ts). */
  live: WorkloadPublisher;
  presence: PresencePublisher | undefined;
  spaces: SpaceStatePublisher | undefined;
  userIdFor(username: string): string;
  log: Logger;
  metrics: Metrics;
}

/**
 * The agent picker's data: the directory listing, the platform's workload reports and the agents'
 * Matrix presence, and the publishing of every change (live stream, presence, campaign spaces).
 */
export class DirectoryService {
  private readonly deps: DirectoryServiceDeps;

  constructor(deps: DirectoryServiceDeps) {
    this.deps = deps;
  }

  async list(viewer: string, query: DirectoryQuery): Promise<DirectoryPage> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const [{ agents, total }, campaigns] = await Promise.all([
      this.deps.repository.list({ viewer, words: searchWords(query.q ?? ''), status: query.status ?? 'all', campaign: query.campaign, limit, offset }),
      this.deps.repository.listedCampaigns(viewer),
    ]);
    return {
      agents: agents.map((a) => ({ ...a, userId: this.deps.userIdFor(a.username) })),
      total,
      limit,
      offset,
      campaigns,
    };
  }

  /**
   * Applies a batch of platform reports, all or nothing for bad input: a report from the future
   * is refused with the rest of the batch. Per username, the report with the latest `at` counts;
   * one not newer than what is stored is `stale`.
   */
  async report(reports: readonly WorkloadReport[], now = Date.now()): Promise<{ username: string; outcome: ReportOutcome }[]> {
    const problems: FieldProblem[] = [];
    reports.forEach((r, i) => {
      if (Date.parse(r.at) > now + MAX_REPORT_CLOCK_SKEW_MS) {
        problems.push({ path: `reports.${i}.at`, message: 'is more than 5 minutes in the future' });
      }
    });
    if (problems.length > 0) throw invalidFeed(problems);

    // The newest report per username; among equal timestamps the first one.
    const newest = new Map<string, { report: WorkloadReport; time: number }>();
    for (const report of reports) {
      const time = Date.parse(report.at);
      const current = newest.get(report.username);
      if (!current || time > current.time) newest.set(report.username, { report, time });
    }
    const { unknown, applied } = await this.deps.repository.applyReports([...newest.values()].map((n) => n.report));
    const unknownSet = new Set(unknown);
    const appliedReports = new Set([...applied].map((t) => newest.get(t.username)?.report));
    const outcomeOf = (report: WorkloadReport): ReportOutcome =>
      unknownSet.has(report.username) ? 'unknown_username' : appliedReports.has(report) ? 'applied' : 'stale';
    const outcomes = reports.map((report) => ({ username: report.username, outcome: outcomeOf(report) }));
    for (const { outcome } of outcomes) this.deps.metrics.workloadReports.inc({ outcome });

    const at = (username: string) => newest.get(username)?.report.at ?? new Date(now).toISOString();
    this.announce(applied, at);
    for (const t of applied) this.deps.presence?.ensure(t.username, t, t.presenceStatusMsg);
    return outcomes;
  }

  /**
   * Stores the agents' Matrix presence (the newest per user of one delivery). Presence pushed
   * again unchanged is not written (one statement that matches nothing), except that when it was
   * last heard of is refreshed once in PRESENCE_HEARD_REFRESH_MS, well within the poller's
   * `minAgeMs`; what the poller read is always written (it was heard of now).
   */
  async presence(updates: readonly PresenceUpdate[], source: 'transaction' | 'poll'): Promise<void> {
    const latest = new Map(updates.map((u) => [u.username, u]));
    if (latest.size === 0) return;
    const transitions = await this.deps.repository.applyPresence([...latest.values()], {
      refreshHeardAfterMs: source === 'poll' ? 0 : PRESENCE_HEARD_REFRESH_MS,
    });
    this.deps.metrics.presenceUpdates.inc({ source }, transitions.length);
    const now = new Date().toISOString();
    this.announce(transitions, () => now);
    for (const t of transitions) {
      if (t.reported) this.deps.presence?.ensure(t.username, t, t.presenceStatusMsg);
    }
  }

  /** Sends the changes of activity or count to live clients and to the campaign spaces. */
  private announce(transitions: readonly WorkloadTransition[], at: (username: string) => string): void {
    const changes: WorkloadChange[] = transitions
      .filter((t) => t.before?.active !== t.active || t.before?.chatsInAttention !== t.chatsInAttention || t.before?.atLimit !== t.atLimit)
      .map((t) => ({ username: t.username, active: t.active, chatsInAttention: t.chatsInAttention, atLimit: t.atLimit, at: at(t.username) }));
    if (changes.length === 0) return;
    this.deps.live.publish(changes);
    this.deps.spaces?.publish(changes).catch((err: unknown) => {
      this.deps.log.error({ err }, 'could not queue the workload state for the campaign spaces');
    });
  }
}

/**
 * How long presence pushed again unchanged leaves `presence_at` as it is. It must stay well below
 * the presence poller's `minAgeMs` (5 minutes), which re-reads from the homeserver the live
 * presence not heard of for that long: an agent whose presence keeps arriving is never polled.
 */
export const PRESENCE_HEARD_REFRESH_MS = 60_000;

export function invalidFeed(problems: readonly FieldProblem[]): AppError {
  const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new AppError(
    400,
    'M_BAD_JSON',
    message('directory.invalidFeed', { summary }),
    { problems },
  );
}
