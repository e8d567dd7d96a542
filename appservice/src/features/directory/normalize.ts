/**
 * Accent- and case-insensitive name keys. The database computes the same keys in generated columns
 * (migration 030_directory_presence.sql, with `translate`); both sides must map every character
 * the same way, so the map is written out here exactly as there and a test compares the two.
 *
 * A-Z and the accented Latin letters become plain lower-case letters; the combining accents of
 * decomposed text (NFD) are removed; every other character is kept as it is. No locale is
 * involved, so the keys are the same on any database and any machine.
 */
export const FOLD_FROM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZáàäâãåÁÀÄÂÃÅéèëêÉÈËÊíìïîÍÌÏÎóòöôõøÓÒÖÔÕØúùüûÚÙÜÛñÑçÇýÿÝ';
export const FOLD_TO = 'abcdefghijklmnopqrstuvwxyzaaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooooouuuuuuuunnccyyy';
/** Combining grave, acute, circumflex, tilde, diaeresis, ring and cedilla: removed. */
export const FOLD_REMOVE = '\u0300\u0301\u0302\u0303\u0308\u030A\u0327';

const fold = new Map<string, string>();
[...FOLD_FROM].forEach((ch, i) => fold.set(ch, FOLD_TO[i] ?? ''));
for (const ch of FOLD_REMOVE) fold.set(ch, '');

/** The folded form of `text`, as the database computes it for `accounts.directory_search`. */
export function foldName(text: string): string {
  let out = '';
  for (const ch of text) out += fold.get(ch) ?? ch;
  return out;
}

export const MAX_SEARCH_WORDS = 8;

/**
 * The words of a search: folded, split on white space, duplicates and words contained in another
 * word dropped (they add nothing), at most MAX_SEARCH_WORDS. An agent matches when every word
 * occurs somewhere in their folded display name or username: `jose per` finds "José Pérez".
 */
export function searchWords(query: string): string[] {
  const words = [...new Set(foldName(query).split(/\s+/).filter((w) => w.length > 0))];
  return words
    .filter((w, i) => !words.some((other, j) => j !== i && other.length > w.length && other.includes(w)))
    .slice(0, MAX_SEARCH_WORDS);
}
