/** A vendor's response body as JSON, or undefined when it is empty or not JSON (callers then report the raw text). */
export function parseJsonOrUndefined(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
