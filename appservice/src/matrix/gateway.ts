import { randomUUID } from 'node:crypto';
import { ClientPrefix, createClient, Method, type IRequestOpts, type MatrixClient } from 'matrix-js-sdk';
import type { Logger } from '../observability/logger.ts';
import { routeSdkGlobalLogger, sdkLogger } from './sdk-logger.ts';

export interface GatewayOptions {
  homeserverUrl: string;
  serverName: string;
  appserviceId: string;
  asToken: string;
  botLocalpart: string;
  userPrefix: string;
}

export interface GatewayDeps extends GatewayOptions {
  log: Logger;
}

export interface RegisteredUser {
  userId: string;
  created: boolean;
  accessToken: string | undefined;
}

/**
 * The appservice's way into the homeserver: matrix-js-sdk clients that act as the bot or as any
 * user of the appservice's namespace (identity assertion with `user_id`). No sync, no crypto.
 */
export class MatrixGateway {
  readonly botUserId: string;
  private readonly intents = new Map<string, MatrixClient>();
  private readonly sdkLog;
  private readonly options: GatewayOptions;

  constructor({ log, ...options }: GatewayDeps) {
    this.options = options;
    this.botUserId = `@${options.botLocalpart}:${options.serverName}`;
    this.sdkLog = sdkLogger(log.child({ module: 'matrix-js-sdk' }));
    routeSdkGlobalLogger(log);
  }

  /** The Matrix user id of a Chattigo account. */
  userIdFor(username: string): string {
    return `@${this.options.userPrefix}${username}:${this.options.serverName}`;
  }

  /** The Chattigo username of a Matrix user id of the namespace, or undefined for any other id. */
  usernameOf(userId: string): string | undefined {
    const prefix = `@${this.options.userPrefix}`;
    const suffix = `:${this.options.serverName}`;
    if (!userId.startsWith(prefix) || !userId.endsWith(suffix)) return undefined;
    const username = userId.slice(prefix.length, userId.length - suffix.length);
    return username.length > 0 ? username : undefined;
  }

  /** The user id a Matrix access token belongs to, or undefined when Synapse does not accept it. */
  async whoami(accessToken: string): Promise<string | undefined> {
    const response = await fetch(new URL('/_matrix/client/v3/account/whoami', this.options.homeserverUrl), {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(5000),
    });
    if (response.status === 401 || response.status === 403) return undefined;
    if (!response.ok) throw new Error(`whoami failed with HTTP ${response.status}`);
    const body = (await response.json()) as { user_id?: unknown };
    return typeof body.user_id === 'string' ? body.user_id : undefined;
  }

  /** A client that acts as `userId` (the bot when omitted). */
  intent(userId: string = this.botUserId): MatrixClient {
    let client = this.intents.get(userId);
    if (!client) {
      client = createClient({
        baseUrl: this.options.homeserverUrl,
        accessToken: this.options.asToken,
        userId,
        queryParams: userId === this.botUserId ? {} : { user_id: userId },
        logger: this.sdkLog,
        useAuthorizationHeader: true,
      });
      this.intents.set(userId, client);
    }
    return client;
  }

  /**
   * Registers a user of the appservice's namespace; an existing one is not an error. With
   * `login`, the new user also gets an access token (tests use it to act as a plain client).
   */
  async registerUser(localpart: string, options: { login?: boolean } = {}): Promise<RegisteredUser> {
    const userId = `@${localpart}:${this.options.serverName}`;
    try {
      const result = await this.intent().http.authedRequest<{ user_id: string; access_token?: string }>(
        Method.Post,
        '/register',
        undefined,
        { type: 'm.login.application_service', username: localpart, inhibit_login: !options.login },
      );
      return { userId: result.user_id, created: true, accessToken: result.access_token };
    } catch (err) {
      if ((err as { errcode?: string }).errcode !== 'M_USER_IN_USE') throw err;
      // Registered before (by an earlier run or the directory sync): log in as the appservice instead.
      const accessToken = options.login ? await this.loginAs(userId) : undefined;
      return { userId, created: false, accessToken };
    }
  }

  /** A new access token for a user of the namespace (appservice login). */
  private async loginAs(userId: string): Promise<string> {
    const result = await this.intent().http.authedRequest<{ access_token: string }>(Method.Post, '/login', undefined, {
      type: 'm.login.application_service',
      identifier: { type: 'm.id.user', user: userId },
    });
    return result.access_token;
  }

  /** Sends a state event as the bot (any type, including Chattigo's own). */
  async sendState(roomId: string, type: string, content: object, stateKey = ''): Promise<string> {
    const path = `/rooms/${encodeURIComponent(roomId)}/state/${encodeURIComponent(type)}/${encodeURIComponent(stateKey)}`;
    const result = await this.intent().http.authedRequest<{ event_id: string }>(Method.Put, path, undefined, content as Record<string, unknown>);
    return result.event_id;
  }

  /** A room's current state event content as the bot sees it, or undefined when there is none. */
  async getState<T = Record<string, unknown>>(roomId: string, type: string, stateKey = ''): Promise<T | undefined> {
    const path = `/rooms/${encodeURIComponent(roomId)}/state/${encodeURIComponent(type)}/${encodeURIComponent(stateKey)}`;
    try {
      return await this.intent().http.authedRequest<T>(Method.Get, path);
    } catch (err) {
      if ((err as { errcode?: string }).errcode === 'M_NOT_FOUND') return undefined;
      throw err;
    }
  }

  /** Asks the homeserver to call this appservice's ping endpoint; resolves to the round trip. */
  async ping(): Promise<number> {
    const result = await this.intent().http.authedRequest<{ duration_ms: number }>(
      Method.Post,
      `/appservice/${encodeURIComponent(this.options.appserviceId)}/ping`,
      undefined,
      { transaction_id: `ping-${randomUUID()}` },
      // Node's RequestInit types `priority` as required; the SDK treats it as optional.
      { prefix: ClientPrefix.V1 } as IRequestOpts,
    );
    return result.duration_ms;
  }

  /** Whether the homeserver answers its client API at all. */
  async reachable(timeoutMs = 2000): Promise<boolean> {
    try {
      const response = await fetch(new URL('/_matrix/client/versions', this.options.homeserverUrl), {
        signal: AbortSignal.timeout(timeoutMs),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** Gives the bot its display name (the homeserver creates the bot user itself). */
  async setUpBot(displayName: string): Promise<void> {
    const bot = this.intent();
    const profile = await bot.getProfileInfo(this.botUserId).catch(() => ({ displayname: undefined }));
    if (profile.displayname !== displayName) await bot.setDisplayName(displayName);
  }
}
