import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { LanguageOf, NoticeService } from '../../matrix/notices.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Chat } from '../chats/index.ts';
import type { Feature } from '../feature.ts';
import { httpContextProvider } from './provider.ts';
import { contextRoutes } from './routes.ts';
import { ContextService } from './service.ts';

export interface ContextDeps {
  gateway: MatrixGateway;
  notices: NoticeService;
  languageOf: LanguageOf;
  chatOf(roomId: string, username: string): Promise<Chat>;
  /** `platform.contextUrl`; none: requests are accepted and logged, no card. */
  contextUrl: string | undefined;
  timeoutMs: number;
  /** The platform's service token, sent to it. */
  token: string;
  log: Logger;
}

export interface ContextFeature extends Feature {
  service: ContextService;
}

/** The customer-chat context card of an internal chat (`com.chattigo.context` + a notice). */
export function createContext(deps: ContextDeps): ContextFeature {
  const provider = deps.contextUrl ? httpContextProvider({ url: deps.contextUrl, token: deps.token, timeoutMs: deps.timeoutMs }) : null;
  const service = new ContextService({
    gateway: deps.gateway,
    notices: deps.notices,
    languageOf: deps.languageOf,
    chatOf: deps.chatOf,
    provider,
    log: deps.log.child({ module: 'context' }),
  });
  return {
    name: 'context',
    service,
    async plugin(app) {
      await app.register(contextRoutes, { service });
    },
    // Cards still being fetched finish (or time out) before the server closes.
    stop: () => service.settled(),
  };
}
