import path from 'node:path';
import { stringify } from 'yaml';

export interface SynapseSecrets {
  registrationSharedSecret: string;
  macaroonSecretKey: string;
  formSecret: string;
}

export interface HomeserverOptions {
  serverName: string;
  /** Folder for Synapse's database (SQLite), media, signing key and log. */
  dataDir: string;
  /** Port of the client listener, bound to loopback unless `bindAddresses` says otherwise. */
  port: number;
  bindAddresses?: string[];
  /**
   * Take the client's address from X-Forwarded-For. Only where a trusted reverse proxy that sets
   * it sits in front and Synapse is reachable through it alone: reached directly, a client that
   * rotates the header escapes the per-address limits (rc_login). Default false.
   */
  xForwarded?: boolean;
  publicBaseUrl?: string;
  /** PostgreSQL URL; SQLite in `dataDir` when omitted. */
  postgresUrl?: string;
  appserviceRegistrationFiles: string[];
  secrets: SynapseSecrets;
  /** Largest upload Synapse accepts, e.g. "25M". */
  maxUploadSize?: string;
  federation?: boolean;
  /** Where the log config points Synapse's log; defaults to `<dataDir>/homeserver.log`. */
  logFile?: string;
  /**
   * Chattigo's password-auth module (synapse/python/chattigo_auth): password logins are checked
   * by the appservice at `endpoint`, authenticated with `secret`.
   */
  passwordAuth?: { endpoint: string; secret: string };
  /**
   * Chattigo's spam-checker module (synapse/python/chattigo_policy): uploads are judged by the
   * appservice's file policy at `mediaEndpoint` (failing closed), and agents (localparts starting
   * with `userPrefix`) may not create, join or invite into rooms the appservice does not manage.
   */
  policy?: { mediaEndpoint: string; secret: string; maxBytes: number; userPrefix: string; botUserId: string };
  /** Extra top-level keys (tests tighten or loosen limits with this). */
  overrides?: Record<string, unknown>;
}

function postgresDatabase(url: string) {
  const parsed = new URL(url);
  return {
    name: 'psycopg2',
    args: {
      user: decodeURIComponent(parsed.username) || 'postgres',
      password: decodeURIComponent(parsed.password) || undefined,
      dbname: parsed.pathname.replace(/^\//, '') || 'synapse',
      host: parsed.hostname || 'localhost',
      port: Number(parsed.port || 5432),
      cp_min: 5,
      cp_max: 10,
    },
  };
}

function chattigoModules(options: HomeserverOptions): Record<string, unknown>[] | undefined {
  const modules: Record<string, unknown>[] = [];
  if (options.passwordAuth) modules.push({ module: 'chattigo_auth.ChattigoPasswordProvider', config: options.passwordAuth });
  if (options.policy) {
    const { mediaEndpoint, secret, maxBytes, userPrefix, botUserId } = options.policy;
    modules.push({
      module: 'chattigo_policy.ChattigoPolicy',
      config: { media_endpoint: mediaEndpoint, secret, max_bytes: maxBytes, user_prefix: userPrefix, bot_user_id: botUserId },
    });
  }
  return modules.length > 0 ? modules : undefined;
}

/** The homeserver.yaml for Chattigo's Synapse, as an object. */
export function homeserverConfig(options: HomeserverOptions): Record<string, unknown> {
  const dataDir = path.resolve(options.dataDir);
  const federation = options.federation ?? false;
  return {
    server_name: options.serverName,
    pid_file: path.join(dataDir, 'homeserver.pid'),
    public_baseurl: options.publicBaseUrl ?? `http://127.0.0.1:${options.port}/`,
    report_stats: false,
    listeners: [
      {
        port: options.port,
        bind_addresses: options.bindAddresses ?? ['127.0.0.1'],
        type: 'http',
        tls: false,
        x_forwarded: options.xForwarded ?? false,
        resources: [{ names: federation ? ['client', 'federation'] : ['client'], compress: false }],
      },
    ],
    database: options.postgresUrl
      ? postgresDatabase(options.postgresUrl)
      : { name: 'sqlite3', args: { database: path.join(dataDir, 'homeserver.db') } },
    log_config: path.join(dataDir, 'log.config'),
    media_store_path: path.join(dataDir, 'media_store'),
    signing_key_path: path.join(dataDir, 'signing.key'),
    max_upload_size: options.maxUploadSize ?? '25M',
    enable_registration: false,
    registration_shared_secret: options.secrets.registrationSharedSecret,
    macaroon_secret_key: options.secrets.macaroonSecretKey,
    form_secret: options.secrets.formSecret,
    app_service_config_files: options.appserviceRegistrationFiles.map((f) => path.resolve(f)),
    use_appservice_legacy_authorization: false,
    presence: { enabled: true },
    modules: chattigoModules(options),
    // Passwords are checked only by the appservice (chattigo_auth): with Synapse's own password
    // database off, /account/password cannot leave a Synapse-side password that outlives a reset.
    password_config: { localdb_enabled: false },
    // Chattigo's own directory lists agents; Synapse's stays limited to shared rooms.
    user_directory: { enabled: true, search_all_users: false },
    // Agents write a lot; Synapse's default (0.2/s, burst 10) would throttle a normal conversation.
    rc_message: { per_second: 10, burst_count: 50 },
    // Logins: generous per address (a contact center shares one), strict per account on failures.
    rc_login: {
      address: { per_second: 1, burst_count: 30 },
      account: { per_second: 0.5, burst_count: 10 },
      failed_attempts: { per_second: 0.05, burst_count: 5 },
    },
    federation_domain_whitelist: federation ? undefined : [],
    trusted_key_servers: federation ? undefined : [],
    suppress_key_server_warning: true,
    allow_public_rooms_over_federation: false,
    url_preview_enabled: false,
    enable_metrics: false,
    ...options.overrides,
  };
}

export function renderHomeserverConfig(options: HomeserverOptions): string {
  const config = Object.fromEntries(
    Object.entries(homeserverConfig(options)).filter(([, value]) => value !== undefined),
  );
  return `# Generated by Chattigo (synapse/src/config.ts); edit the options, not this file.\n${stringify(config)}`;
}

/** Synapse's Python logging config: to a file, INFO, with SQL chatter at WARNING. */
export function renderLogConfig(logFile: string): string {
  return stringify({
    version: 1,
    formatters: { precise: { format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s' } },
    handlers: {
      file: { class: 'logging.FileHandler', formatter: 'precise', filename: logFile, encoding: 'utf8' },
    },
    loggers: { 'synapse.storage.SQL': { level: 'WARNING' } },
    root: { level: 'INFO', handlers: ['file'] },
    disable_existing_loggers: false,
  });
}
