/** How an outbound request that got no answer failed, for the vendors' error translations. */

/** Fetch aborts (our own timers and signals) surface as DOMException-like errors named this way. */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

/** The fetch API's network failures say "fetch failed" and keep the reason as their cause. */
export function failureReason(err: unknown): string {
  return err instanceof Error && err.cause instanceof Error
    ? err.cause.message
    : err instanceof Error
      ? err.message
      : String(err);
}
