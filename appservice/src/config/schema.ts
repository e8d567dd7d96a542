import Type, { type Static } from 'typebox';
import { ATTACHMENT_KINDS } from '@chattigo/contracts/attachment-kinds';

/**
 * The appservice configuration. Every field has a description (it becomes the comment in
 * config/config.sample.yaml) and, where a sensible one exists, a default that suits a local run.
 */
const Url = (description: string, defaultValue?: string) =>
  Type.String({ format: 'uri', pattern: '^https?://', description, ...(defaultValue ? { default: defaultValue } : {}) });

const Port = (description: string, defaultValue: number) =>
  Type.Integer({ minimum: 1, maximum: 65535, description, default: defaultValue });

const Localpart = (description: string, defaultValue: string) =>
  Type.String({ pattern: '^[a-z0-9._=/-]+$', minLength: 1, maxLength: 64, description, default: defaultValue });

export const ServerSection = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'Address the HTTP server binds to.', default: '127.0.0.1' }),
    port: Port('Port of the HTTP server (client, API, appservice endpoints).', 9000),
    publicUrl: Url('URL at which users reach this server; links in mails are built from it, never from request headers.', 'http://localhost:9000'),
  },
  { additionalProperties: false, default: {} },
);

export const MatrixSection = Type.Object(
  {
    homeserverUrl: Url('Client-server API URL of the Synapse homeserver.', 'http://127.0.0.1:8008'),
    serverName: Type.String({
      pattern: '^[A-Za-z0-9.-]+(:[0-9]+)?$',
      description: "The homeserver's server_name (the part after ':' in user ids).",
      default: 'chattigo.localhost',
    }),
    publicHomeserverUrl: Type.Optional(
      Type.String({
        format: 'uri',
        pattern: '^https?://',
        description: "Homeserver URL as browsers and phones reach it (the web client uses it); defaults to homeserverUrl.",
      }),
    ),
    appserviceId: Localpart('Id of the appservice registration.', 'chattigo'),
    appserviceUrl: Url('URL at which Synapse reaches this appservice.', 'http://127.0.0.1:9000'),
    userPrefix: Localpart('Prefix of the Matrix localparts of Chattigo accounts (exclusive namespace).', 'chattigo_'),
    botLocalpart: Localpart("Localpart of the appservice's bot user.", 'chattigo'),
    botDisplayName: Type.String({ minLength: 1, maxLength: 100, description: "Display name of the bot.", default: 'Chattigo' }),
  },
  { additionalProperties: false, default: {} },
);

export const DatabaseSection = Type.Object(
  {
    url: Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        description: 'PostgreSQL connection URL. Leave unset to use the embedded database (PGlite) below.',
      }),
    ),
    embeddedDir: Type.String({
      minLength: 1,
      description: "Data folder of the embedded database (relative to this file), or 'memory://' for a throwaway one.",
      default: '../.local/data/pglite',
    }),
    poolSize: Type.Integer({ minimum: 1, maximum: 100, description: 'PostgreSQL connection pool size.', default: 10 }),
  },
  { additionalProperties: false, default: {} },
);

export const SecretsSection = Type.Object(
  {
    dir: Type.String({
      minLength: 1,
      description:
        'Folder of the secret files (relative to this file): as_token, hs_token, jwt_key, provisioning_token and the Synapse secrets. ' +
        'Missing ones are generated on first start. An environment variable CHATTIGO_SECRET_<NAME> overrides a file.',
      default: '../.local/secrets',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const LogSection = Type.Object(
  {
    level: Type.Union(
      [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace')],
      { description: 'Log level.', default: 'info' },
    ),
  },
  { additionalProperties: false, default: {} },
);

export const ClientSection = Type.Object(
  {
    distDir: Type.String({
      minLength: 1,
      description: 'Folder of the built web client (relative to this file), served at /.',
      default: '../client/dist',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const MailSection = Type.Object(
  {
    from: Type.String({ minLength: 3, description: 'Sender of the mails the appservice sends.', default: 'Chattigo <no-reply@chattigo.localhost>' }),
    smtp: Type.Optional(
      Type.Object(
        {
          host: Type.String({ minLength: 1, description: 'SMTP server.' }),
          port: Port('SMTP port.', 587),
          secure: Type.Boolean({ description: 'TLS from the first byte (port 465); otherwise STARTTLS when offered.', default: false }),
          user: Type.Optional(Type.String({ description: 'SMTP user; the password is the secret smtp_password (file or CHATTIGO_SECRET_SMTP_PASSWORD).' })),
        },
        { additionalProperties: false, description: 'SMTP delivery. Leave unset to write mails as .eml files into outboxDir instead (local runs).' },
      ),
    ),
    outboxDir: Type.String({
      minLength: 1,
      description: 'Folder (relative to this file) where mails are written when no SMTP server is configured.',
      default: '../.local/mail',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const PasswordSection = Type.Object(
  {
    resetMinutes: Type.Integer({ minimum: 5, maximum: 30, description: 'How long a password-reset link works.', default: 30 }),
    welcomeHours: Type.Integer({
      minimum: 1,
      maximum: 168,
      description: 'How long the set-password link mailed to a new account without a password works.',
      default: 72,
    }),
    addressLimit: Type.Object(
      {
        max: Type.Integer({ minimum: 1, maximum: 100_000, description: 'Requests allowed per address and window.', default: 30 }),
        windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400, description: 'Length of the window.', default: 600 }),
      },
      {
        additionalProperties: false,
        default: {},
        description:
          'Limit per client address on the password routes (forgot password, set a password from a link); more get 429. ' +
          'A contact center behind one NAT address shares it.',
      },
    ),
  },
  { additionalProperties: false, default: {} },
);

export const MetricsSection = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Serve Prometheus metrics (GET /metrics) on their own listener.', default: true }),
    host: Type.String({
      minLength: 1,
      description: 'Address the metrics listener binds to. Keep it off the network users reach; the client port never serves /metrics.',
      default: '127.0.0.1',
    }),
    port: Type.Integer({ minimum: 0, maximum: 65535, description: 'Port of the metrics listener (0: any free port).', default: 9464 }),
  },
  { additionalProperties: false, default: {} },
);

export const AttachmentsSection = Type.Object(
  {
    allowedKinds: Type.Array(Type.Union(ATTACHMENT_KINDS.map((kind) => Type.Literal(kind))), {
      uniqueItems: true,
      description:
        'Kinds of file agents may send, judged from the bytes (never the declared type or name). Any other file is ' +
        'redacted, its media quarantined and its sender told why.\n' +
        `Known kinds: ${ATTACHMENT_KINDS.join(', ')}.`,
      default: [...ATTACHMENT_KINDS],
    }),
    maxSizeBytes: Type.Integer({
      minimum: 1024,
      maximum: 1024 * 1024 * 1024,
      description:
        "Largest file in bytes. Synapse's upload limit (max_upload_size) is set from it. Synapse answers a larger upload with " +
        '413 while the limit is under 12.5 MiB; above that it drops the connection, so clients should check the size ' +
        'first (GET /_matrix/client/v1/media/config).',
      default: 25 * 1024 * 1024,
    }),
  },
  { additionalProperties: false, default: {} },
);

// Supervisors (issue 16): reports and audited review.
export const ReportsSection = Type.Object(
  {
    defaultTimeZone: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$|^UTC$',
      description: "IANA time zone of a campaign that has none of its own: a report's days and weeks start at midnight there.",
      default: 'America/Santiago',
    }),
    csvSeparator: Type.Union([Type.Literal(';'), Type.Literal(',')], {
      description: "Field separator of the reports' CSV export (UTF-8 with BOM); ';' suits a Spanish-locale spreadsheet.",
      default: ';',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const ReviewSection = Type.Object(
  {
    notifyParticipants: Type.Boolean({
      description: 'Post a one-line notice in a chat each time a supervisor or admin reviews its history (both agents see it).',
      default: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const SsoSection = Type.Object(
  {
    codeTtlSeconds: Type.Integer({
      minimum: 1,
      maximum: 60,
      description: 'How long a one-time login code from the platform works (POST /api/v1/provisioning/accounts/<username>/login-code).',
      default: 60,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const EmbedSection = Type.Object(
  {
    allowedOrigins: Type.Array(Type.String({ pattern: '^https?://[^/]+$' }), {
      uniqueItems: true,
      description:
        'Origins (scheme://host[:port], no path) of the pages that may show the web client in an iframe (the agent desktop): ' +
        "the client's CSP frame-ancestors and the origins whose postMessage the client obeys. Empty: the client cannot be embedded.",
      default: [],
    }),
  },
  { additionalProperties: false, default: {} },
);

export const PlatformSection = Type.Object(
  {
    contextUrl: Type.Optional(
      Type.String({
        // Not format 'uri': the '{conversationId}' placeholder is not valid in a URI.
        pattern: '^https?://[^\\s]+$',
        description:
          "URL of the platform's customer-chat summary; '{conversationId}' in it is replaced by the conversation id " +
          '(otherwise ?conversationId= is added). Called with GET and the provisioning token. Unset: no context cards.',
      }),
    ),
    contextTimeoutMs: Type.Integer({
      minimum: 100,
      maximum: 30_000,
      description: 'How long the context call may take; a chat never waits for it.',
      default: 2000,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const SlaSection = Type.Object(
  {
    defaultMinutes: Type.Number({
      minimum: 0,
      maximum: 1440,
      description:
        'Answer-time SLA of the campaigns that set none (minutes; 0: off). A question to a colleague in a chat that is ' +
        'not answered within it gets a reminder in the chat, and after a second period the campaign supervisors are told.',
      default: 5,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const ConfigSchema = Type.Object(
  {
    server: ServerSection,
    matrix: MatrixSection,
    database: DatabaseSection,
    secrets: SecretsSection,
    log: LogSection,
    client: ClientSection,
    mail: MailSection,
    password: PasswordSection,
    attachments: AttachmentsSection,
    metrics: MetricsSection,
    reports: ReportsSection,
    review: ReviewSection,
    sso: SsoSection,
    embed: EmbedSection,
    platform: PlatformSection,
    sla: SlaSection,
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
