import { createClient, Direction, type MatrixClient } from 'matrix-js-sdk';
import { sdkLogger } from '../../src/matrix/sdk-logger.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { waitFor } from './wait.ts';

/** A plain Matrix client, as Element would be, logged in with a Chattigo username and password. */
export async function loginClient(homeserverUrl: string, username: string, password: string): Promise<MatrixClient> {
  const anonymous = createClient({ baseUrl: homeserverUrl, logger: sdkLogger(createLogger('silent')) });
  const login = await anonymous.loginRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: username }, password });
  return createClient({
    baseUrl: homeserverUrl,
    accessToken: login.access_token,
    userId: login.user_id,
    deviceId: login.device_id,
    logger: sdkLogger(createLogger('silent')),
  });
}

/** Sends `text` to a room and resolves to the body of the bot's m.notice that replies to it. */
export async function botReply(client: MatrixClient, roomId: string, botId: string, text: string): Promise<string> {
  const { event_id: eventId } = await client.sendTextMessage(roomId, text);
  let body: string | undefined;
  await waitFor(
    async () => {
      const page = await client.createMessagesRequest(roomId, null, 30, Direction.Backward);
      const notice = page.chunk.find(
        (e) => e.sender === botId && e.content['msgtype'] === 'm.notice' && e.content['m.relates_to']?.['m.in_reply_to']?.event_id === eventId,
      );
      body = typeof notice?.content['body'] === 'string' ? notice.content['body'] : undefined;
      return body !== undefined;
    },
    `the bot's reply to "${text}"`,
    20_000,
  );
  return body ?? '';
}

/** The bodies of the bot's notices in a room, oldest first. */
export async function botNotices(client: MatrixClient, roomId: string, botId: string): Promise<string[]> {
  const page = await client.createMessagesRequest(roomId, null, 50, Direction.Backward);
  return page.chunk
    .filter((e) => e.sender === botId && e.content['msgtype'] === 'm.notice')
    .map((e) => String(e.content['body']))
    .reverse();
}
