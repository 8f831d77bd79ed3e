import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import type { Clock } from '../../lib/clock.js';
import { hashKey } from '../../lib/secrets.js';
import { windowStart, type RateLimitStore, type RateWindow } from '../../http/rate-limit.store.js';

/**
 * Sign-in attempts, counted in the app's rate-limit store (memory, or Redis across processes):
 * 10 a minute from one address, and 20 an hour for one e-mail, key or link, wherever they come
 * from, so guessing a password is slow from one machine and from many.
 */
const PER_ADDRESS: readonly RateWindow[] = [{ name: 'minute', windowMs: 60_000, limit: 10 }];
const PER_SUBJECT: readonly RateWindow[] = [{ name: 'hour', windowMs: 3_600_000, limit: 20 }];

export interface SignInAttempts {
  /** Counts one attempt; throws RATE_LIMITED when either budget is spent. */
  count(request: FastifyRequest, subject: string): Promise<void>;
}

export function createSignInAttempts(store: RateLimitStore, clock: Clock): SignInAttempts {
  const consume = async (bucket: string, windows: readonly RateWindow[], nowMs: number) => {
    const result = await store.consume(bucket, windows, nowMs);
    const window = windows[0];
    if (result.allowed || !window) return;
    const resetMs = windowStart(nowMs, window.windowMs) + window.windowMs;
    throw new AppError('RATE_LIMITED', 'Too many sign-in attempts: wait before trying again', {
      rateLimit: {
        limit: window.limit,
        windowSeconds: window.windowMs / 1000,
        resetAt: Math.ceil(resetMs / 1000),
        retryAfterSeconds: Math.max(1, Math.ceil((resetMs - nowMs) / 1000)),
      },
    });
  };
  return {
    async count(request, subject) {
      const nowMs = clock.now().getTime();
      await consume(`app-sign-in:ip:${request.ip}`, PER_ADDRESS, nowMs);
      // Hashed: subjects include tokens, which must not sit in the counter store in the clear.
      await consume(`app-sign-in:subject:${hashKey(subject.toLowerCase())}`, PER_SUBJECT, nowMs);
    },
  };
}
