import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric of the appservice, under one registry and the `chattigo_` prefix. */
export function createMetrics() {
  const registry = new Registry();
  // The event-loop delay percentiles (`chattigo_nodejs_eventloop_lag_p99_seconds`, …) come from a
  // timer sampling the loop: at prom-client's default of every 10 ms it was 5 ms of CPU per second,
  // nearly all of an idle appservice's CPU. Every 100 ms: 0.5 ms/s, and a stall long enough to
  // matter is still seen (`…eventloop_lag_seconds`, measured at each scrape, is unaffected).
  collectDefaultMetrics({ register: registry, prefix: 'chattigo_', eventLoopMonitoringPrecision: 100 });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'chattigo_http_request_duration_seconds',
      help: 'Duration of HTTP requests by route and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    transactionsReceived: new Counter({
      name: 'chattigo_appservice_transactions_total',
      help: 'Appservice transactions received from the homeserver, by outcome (new, redelivery: every event seen before).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    eventsProcessed: new Counter({
      name: 'chattigo_appservice_events_processed_total',
      help: 'Room events processed from the journal, by outcome (ok, retry: failed and tried again later, dead_letter: given up).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    journalEvents: new Counter({
      name: 'chattigo_journal_events_total',
      help: 'Entries of appservice transactions, by outcome (stored, duplicate: event id seen before, dead_letter: not a usable room event).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    journalBacklogEvents: new Gauge({
      name: 'chattigo_journal_backlog_events',
      help: 'Room events stored and not yet processed.',
      registers: [registry],
    }),
    journalBacklogAge: new Gauge({
      name: 'chattigo_journal_backlog_oldest_seconds',
      help: 'Age of the oldest room event waiting to be processed.',
      registers: [registry],
    }),
    loginChecks: new Counter({
      name: 'chattigo_login_checks_total',
      help: 'Password checks asked by Synapse, by outcome (ok, wrong_password, unknown, deactivated).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    attachmentsChecked: new Counter({
      name: 'chattigo_attachments_checked_total',
      help: 'Files and images inspected in rooms, by outcome (accepted, rejected), real kind and reason.',
      labelNames: ['outcome', 'kind', 'reason'] as const,
      registers: [registry],
    }),
    uploadsChecked: new Counter({
      name: 'chattigo_uploads_checked_total',
      help: 'Uploads judged for Synapse (chattigo_policy module), by outcome (accepted, refused) and real kind.',
      labelNames: ['outcome', 'kind'] as const,
      registers: [registry],
    }),
    roomPolicyRedactions: new Counter({
      name: 'chattigo_room_policy_redactions_total',
      help: 'Events redacted in managed chats by the room policy, by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    attachmentCheckDuration: new Histogram({
      name: 'chattigo_attachment_check_duration_seconds',
      help: 'Time from picking up a file event to its verdict being carried out (download, inspection, redaction).',
      labelNames: ['outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    workloadReports: new Counter({
      name: 'chattigo_workload_reports_total',
      help: 'Workload reports from the Chattigo platform, by outcome (applied, stale, unknown_username).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    presenceUpdates: new Counter({
      name: 'chattigo_presence_updates_total',
      help: 'Matrix presence updates of agents written, by source (transaction, poll): changes, and when an unchanged one was last heard of (once a minute at most).',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    directoryChanges: new Counter({
      name: 'chattigo_directory_changes_total',
      help: "Changes of an agent's activity or chats in attention, published to clients.",
      registers: [registry],
    }),
    directoryLiveClients: new Gauge({
      name: 'chattigo_directory_live_clients',
      help: 'Clients connected to the directory live-update stream.',
      registers: [registry],
    }),
    matrixPublishes: new Counter({
      name: 'chattigo_matrix_publishes_total',
      help: 'Workload writes to Matrix, by target (presence, space_state) and outcome (ok, failed).',
      labelNames: ['target', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
