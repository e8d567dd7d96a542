import { createHmac } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { createCredentialRepository, type CredentialRepository } from './credential-repository.ts';
import type { Logger } from '../observability/logger.ts';

export interface SynapseAdminDeps {
  homeserverUrl: string;
  serverName: string;
  /** Localpart of the admin account; outside the appservice's exclusive namespace. */
  localpart: string;
  /** Synapse's registration_shared_secret: creates the admin account and derives its password. */
  sharedSecret: string;
  /** Where the admin token is kept between runs. */
  db: Queryable;
  log: Logger;
}

export class SynapseAdminError extends Error {
  readonly status: number;
  readonly errcode: string | undefined;
  constructor(message: string, status: number, errcode?: string) {
    super(message);
    this.name = 'SynapseAdminError';
    this.status = status;
    this.errcode = errcode;
  }
}

const CREDENTIAL = 'synapse_admin_token';

/**
 * The admin account's password, derived from the shared secret. Synapse's own password database is
 * off, so its logins are checked by the appservice (features/accounts/auth-check.ts) like agents'.
 */
export function adminPassword(sharedSecret: string): string {
  return createHmac('sha256', sharedSecret).update('chattigo-admin-password').digest('hex');
}

/**
 * Synapse's Admin API, used as a dedicated server admin account. The account is created with the
 * registration shared secret on first use; its token is kept in the database and renewed with a
 * password login (the password is derived from the shared secret) when Synapse no longer accepts it.
 */
export class SynapseAdmin {
  readonly userId: string;
  private token: string | undefined;
  private pending: Promise<string> | undefined;
  private readonly options: SynapseAdminDeps;
  private readonly credentials: CredentialRepository;
  private readonly log: Logger;

  constructor(deps: SynapseAdminDeps) {
    this.options = deps;
    this.credentials = createCredentialRepository(deps.db);
    this.log = deps.log;
    this.userId = `@${deps.localpart}:${deps.serverName}`;
  }

  private get password(): string {
    return adminPassword(this.options.sharedSecret);
  }

  private url(path: string): string {
    return new URL(path, this.options.homeserverUrl).toString();
  }

  private async raw<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const response = await fetch(this.url(path), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const json = (text ? JSON.parse(text) : {}) as T & { errcode?: string; error?: string };
    if (!response.ok) {
      throw new SynapseAdminError(
        `${method} ${path} → ${response.status} ${json.errcode ?? ''} ${json.error ?? ''}`.trim(),
        response.status,
        json.errcode,
      );
    }
    return json;
  }

  /** An admin access token, obtained once and reused. */
  private accessToken(): Promise<string> {
    if (this.token) return Promise.resolve(this.token);
    this.pending ??= this.obtainToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async obtainToken(): Promise<string> {
    const stored = await this.credentials.get(CREDENTIAL);
    if (stored) {
      const valid = await this.raw('GET', '/_matrix/client/v3/account/whoami', undefined, stored).then(
        () => true,
        () => false,
      );
      if (valid) return (this.token = stored);
    }
    const token = (await this.register()) ?? (await this.login());
    await this.credentials.set(CREDENTIAL, token);
    this.log.info({ admin: this.userId }, 'Synapse admin access ready');
    return (this.token = token);
  }

  private async register(): Promise<string | undefined> {
    const { nonce } = await this.raw<{ nonce: string }>('GET', '/_synapse/admin/v1/register');
    const { localpart } = this.options;
    const mac = createHmac('sha1', this.options.sharedSecret)
      .update([nonce, localpart, this.password, 'admin'].join('\u0000'))
      .digest('hex');
    try {
      const result = await this.raw<{ access_token: string }>('POST', '/_synapse/admin/v1/register', {
        nonce,
        username: localpart,
        password: this.password,
        admin: true,
        mac,
      });
      return result.access_token;
    } catch (err) {
      if (err instanceof SynapseAdminError && err.errcode === 'M_USER_IN_USE') return undefined;
      throw err;
    }
  }

  private async login(): Promise<string> {
    const result = await this.raw<{ access_token: string }>('POST', '/_matrix/client/v3/login', {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: this.options.localpart },
      password: this.password,
      initial_device_display_name: 'Chattigo appservice (admin)',
    });
    return result.access_token;
  }

  /** Calls the Admin API; a rejected token is renewed once. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await this.raw<T>(method, path, body, await this.accessToken());
    } catch (err) {
      if (!(err instanceof SynapseAdminError) || err.status !== 401) throw err;
      this.token = undefined;
      await this.credentials.remove(CREDENTIAL);
      return this.raw<T>(method, path, body, await this.accessToken());
    }
  }

  /** Locks or unlocks an account: a locked account can neither log in nor use its tokens. */
  async setLocked(userId: string, locked: boolean): Promise<void> {
    await this.request('PUT', `/_synapse/admin/v2/users/${encodeURIComponent(userId)}`, { locked });
  }

  /** Ends every session of an account except `keepDeviceId`. */
  async logoutDevices(userId: string, keepDeviceId?: string): Promise<number> {
    const { devices } = await this.request<{ devices: { device_id: string }[] }>(
      'GET',
      `/_synapse/admin/v2/users/${encodeURIComponent(userId)}/devices`,
    );
    const ids = devices.map((d) => d.device_id).filter((id) => id !== keepDeviceId);
    if (ids.length > 0) {
      await this.request('POST', `/_synapse/admin/v2/users/${encodeURIComponent(userId)}/delete_devices`, { devices: ids });
    }
    return ids.length;
  }

  /** Quarantines a piece of media: nobody can download it any more. */
  async quarantineMedia(mxcUrl: string): Promise<void> {
    const match = /^mxc:\/\/([^/]+)\/([^/?#]+)$/.exec(mxcUrl);
    if (!match) throw new SynapseAdminError(`not an mxc URL: ${mxcUrl}`, 400);
    const [, server, mediaId] = match;
    await this.request(
      'POST',
      `/_synapse/admin/v1/media/quarantine/${encodeURIComponent(server ?? '')}/${encodeURIComponent(mediaId ?? '')}`,
      {},
    );
  }
}
