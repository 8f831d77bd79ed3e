/**
 * Text helpers the engine uses instead of patterns that would backtrack: every pattern the engine
 * runs must take time linear in its input, because the input is whatever a stranger typed.
 */

/** The longest text the engine reads by default (about a 25-minute call's transcript). */
export const DEFAULT_ENGINE_TEXT_LIMIT = 20_000;

/**
 * At most `limit` characters of `text`: the start and the end, where a conversation introduces
 * itself and where it settles what happens next.
 */
export function clipText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const head = Math.ceil(limit * 0.75);
  return `${text.slice(0, head)}\n${text.slice(text.length - (limit - head - 1))}`;
}
