import type { RoomEvent } from '../../matrix/events.ts';
import type { Chat } from '../chats/index.ts';

/** What an event in a managed chat did that is not allowed there. */
export type Violation = 'encrypted' | 'inline-image' | 'member-change';

/**
 * Any `<img` element in HTML. Clients render only mxc images inline, and an attribute can be
 * spelled in entities (`src="&#109;xc://…"`), so no image element is let through at all; text that
 * merely mentions `<img>` is escaped (`&lt;img`) in a real message and does not match.
 */
const IMG_TAG = /<img[\s/>]/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a message's HTML, or the HTML of the edit it carries, shows an image inline. */
export function hasInlineImage(content: Record<string, unknown>): boolean {
  const replacement = content['m.new_content'];
  return [content, ...(isObject(replacement) ? [replacement] : [])].some(
    (c) => typeof c['formatted_body'] === 'string' && IMG_TAG.test(c['formatted_body']),
  );
}

/**
 * Whether a member event of a closed chat only changes a member's profile (display name, avatar):
 * a join that follows a join. Its previous membership comes from `unsigned.prev_content`, else from
 * the state event it replaces (`unsigned.replaces_state`), fetched through `previousContent`.
 */
async function isProfileChange(
  event: RoomEvent,
  previousContent: (eventId: string) => Promise<Record<string, unknown> | undefined>,
): Promise<boolean> {
  if (event.content['membership'] !== 'join' || event.state_key !== event.sender) return false;
  const prev = event.unsigned?.['prev_content'];
  if (isObject(prev)) return prev['membership'] === 'join';
  const replaces = event.unsigned?.['replaces_state'];
  if (typeof replaces !== 'string') return false;
  return (await previousContent(replaces))?.['membership'] === 'join';
}

/** The rule an event of a managed chat breaks, if any. */
export async function violationOf(
  event: RoomEvent,
  chat: Pick<Chat, 'status' | 'closedAt'>,
  previousContent: (eventId: string) => Promise<Record<string, unknown> | undefined>,
): Promise<Violation | undefined> {
  if (event.type === 'm.room.encrypted') return 'encrypted';
  if (event.type === 'm.room.message' && hasInlineImage(event.content)) return 'inline-image';
  if (event.type === 'm.room.member' && chat.status === 'closed') {
    // Only changes made after the close: one made while the chat was open may be processed late.
    const closedAt = chat.closedAt?.getTime() ?? 0;
    if (event.origin_server_ts >= closedAt && (await isProfileChange(event, previousContent))) return 'member-change';
  }
  return undefined;
}
