/**
 * Accent- and case-insensitive comparison keys: "José" and "jose" both become "jose".
 * (The directory search does the same on the server; this is for lists the client filters itself.)
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Whether every word of `query` occurs in `text`, ignoring accents and case. */
export function matchesWords(text: string, query: string): boolean {
  const haystack = fold(text);
  return fold(query)
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .every((word) => haystack.includes(word));
}
