import { isAllowedOrigin, normalizeOrigin, type ClientMessage } from '@chattigo/contracts/embed';

/**
 * The origin of the page that embeds the client, if it is allowed: Chromium names it in
 * `location.ancestorOrigins`; elsewhere the referrer of the iframe's first page does.
 */
export function hostOrigin(allowed: readonly string[], where: Pick<Window, 'location' | 'document'> = window): string | null {
  const ancestors = (where.location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  const candidates = [ancestors && ancestors.length > 0 ? ancestors.item(0) : null, where.document.referrer || null];
  for (const candidate of candidates) {
    const origin = candidate ? normalizeOrigin(candidate) : null;
    if (origin && isAllowedOrigin(origin, allowed)) return origin;
  }
  return null;
}

/** Posts a message of the contract to the host, only to its allowed origin. */
export function postToHost(message: ClientMessage, origin: string | null, parent: Window | null = window.parent): void {
  if (!origin || !parent || parent === window) return;
  parent.postMessage(message, origin);
}
