/** The unread total shown in the tab: the title's "(3) …" and a badge on the favicon. */

/** "(3) Chattigo · Chat entre agentes"; the plain title at 0. */
export function titleWithCount(title: string, count: number, template = '({count}) {title}'): string {
  if (count <= 0) return title;
  return template.replace('{count}', String(count)).replace('{title}', title);
}

/** What the badge says: the count up to 9, then "9+" (a 16-pixel icon holds no more). */
export function badgeText(count: number): string {
  return count > 9 ? '9+' : String(count);
}

/** The app icon as SVG (also public/icon.svg): a speech bubble on the brand colour. */
export const ICON_SVG_BODY =
  '<rect width="64" height="64" rx="14" fill="#0b5cad"/>' +
  '<path d="M14 18h36v22H27l-9 8v-8h-4z" fill="#fff"/>' +
  '<circle cx="25" cy="29" r="3" fill="#0b5cad"/><circle cx="32" cy="29" r="3" fill="#0b5cad"/><circle cx="39" cy="29" r="3" fill="#0b5cad"/>';

/** The favicon as a data URL: the app icon, with a red badge and the count when there is one. */
export function faviconUrl(count: number): string {
  const badge =
    count > 0
      ? `<circle cx="46" cy="18" r="18" fill="#d93025" stroke="#fff" stroke-width="3"/>` +
        `<text x="46" y="25" text-anchor="middle" font-family="Arial,Helvetica,sans-serif" font-weight="700" font-size="${count > 9 ? 17 : 22}" fill="#fff">${badgeText(count)}</text>`
      : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${ICON_SVG_BODY}${badge}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** The unread total of the chats that count: not muted, and not the chat on screen while the page is seen. */
export function unreadTotal(
  counts: ReadonlyMap<string, number>,
  options: { activeRoomId: string | null; visible: boolean; muted: (roomId: string) => boolean },
): number {
  let total = 0;
  for (const [roomId, count] of counts) {
    if (options.visible && roomId === options.activeRoomId) continue;
    if (options.muted(roomId)) continue;
    total += count;
  }
  return total;
}
