// Starts only where a run of local-part characters starts, so a long run without an @ is read once.
const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;

/** Email addresses in the text, lower-cased, in order of first appearance. */
export function extractEmails(text: string): string[] {
  return [...new Set([...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase()))];
}

/** Email addresses as written, case kept, to cut them out of the text around them. */
export function findEmails(text: string): string[] {
  return [...text.matchAll(EMAIL)].map((m) => m[0]);
}

export function normaliseEmail(raw: string | undefined): string | null {
  const match = raw?.trim().match(EMAIL);
  return match?.[0]?.toLowerCase() ?? null;
}
