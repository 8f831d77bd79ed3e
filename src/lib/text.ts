/** `text` without the run of characters at its end that `strip` (one character class, not global) matches; a loop, so a long run costs one pass. */
export function trimEndMatching(text: string, strip: RegExp): string {
  let end = text.length;
  while (end > 0 && strip.test(text.charAt(end - 1))) end -= 1;
  return text.slice(0, end);
}

/** A base URL without its trailing slashes, so paths can be appended with one. */
export function withoutTrailingSlashes(url: string): string {
  return trimEndMatching(url, /\//);
}

/** The typographic apostrophe (’) a phone types, as the plain one (') that patterns are written with. */
export function plainApostrophes(text: string): string {
  return text.replace(/’/g, "'");
}
