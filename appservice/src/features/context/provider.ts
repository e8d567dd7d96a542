import { PlatformContextSchema, type PlatformContext } from '@chattigo/contracts/context';
import Value from 'typebox/value';
import { describeProblems, findProblems } from '../../validation.ts';

/** The platform's summary of a customer chat, or why there is none. */
export type ContextResult = { ok: true; context: PlatformContext } | { ok: false; reason: string };

export interface ContextProvider {
  fetch(conversationId: string): Promise<ContextResult>;
}

export interface HttpContextProviderOptions {
  /** `platform.contextUrl`: `{conversationId}` is replaced, else `?conversationId=` is added. */
  url: string;
  /** The provisioning (service) token, sent as bearer. */
  token: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export function contextUrlFor(template: string, conversationId: string): string {
  const id = encodeURIComponent(conversationId);
  if (template.includes('{conversationId}')) return template.replaceAll('{conversationId}', id);
  const url = new URL(template);
  url.searchParams.set('conversationId', conversationId);
  return url.toString();
}

/**
 * Asks the platform for a customer chat's summary (GET with the service token), within
 * `timeoutMs`; the answer is checked against the contract's schema. Never throws: a slow,
 * failing or malformed answer is a result with its reason (for the log).
 */
export function httpContextProvider(options: HttpContextProviderOptions): ContextProvider {
  const doFetch = options.fetch ?? fetch;
  return {
    async fetch(conversationId) {
      let response: Response;
      try {
        response = await doFetch(contextUrlFor(options.url, conversationId), {
          headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        return { ok: false, reason: timedOut ? `no answer within ${options.timeoutMs} ms` : `request failed: ${err instanceof Error ? err.message : String(err)}` };
      }
      if (!response.ok) return { ok: false, reason: `platform answered HTTP ${response.status}` };
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return { ok: false, reason: 'platform answer is not JSON' };
      }
      if (!Value.Check(PlatformContextSchema, body)) {
        const problems = describeProblems(findProblems(PlatformContextSchema, body)).replaceAll('\n', '; ');
        return { ok: false, reason: `platform answer does not fit the schema: ${problems}` };
      }
      return { ok: true, context: body };
    },
  };
}

/** Demo data for `./dev up` without a platform (served by the demo host's stub, scripts/demo-host.ts). */
export function demoContext(conversationId: string, now = Date.now()): PlatformContext {
  const names = ['María González', 'Carlos Rodríguez', 'Lucía Fernández', 'Jorge Martínez', 'Valentina López'];
  const channels = ['WhatsApp', 'Webchat', 'Facebook Messenger', 'Instagram', 'Email'];
  let hash = 0;
  for (const ch of conversationId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return {
    customerName: names[hash % names.length] ?? 'Cliente',
    channel: channels[hash % channels.length] ?? 'Webchat',
    campaign: 'Ventas Hogar',
    startedAt: new Date(now - ((hash % 50) + 5) * 60_000).toISOString(),
    link: `https://demo.chattigo.localhost/conversations/${encodeURIComponent(conversationId)}`,
  };
}
