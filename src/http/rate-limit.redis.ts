import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { windowStart, type RateLimitStore } from './rate-limit.store.js';

/**
 * Checks every window first and increments only when all have room, in one script so it is
 * atomic across processes. KEYS: one counter per window; ARGV: limit and TTL (ms) per window.
 * Returns {allowed (0|1), count per window}.
 */
const CONSUME = `
local out = {1}
for i = 1, #KEYS do
  local c = tonumber(redis.call('GET', KEYS[i]) or '0')
  out[i + 1] = c
  if c >= tonumber(ARGV[2 * i - 1]) then out[1] = 0 end
end
if out[1] == 1 then
  for i = 1, #KEYS do
    out[i + 1] = redis.call('INCR', KEYS[i])
    if out[i + 1] == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
  end
end
return out
`;
const CONSUME_SHA = createHash('sha1').update(CONSUME).digest('hex');

// A counter outlives its window briefly so clocks a little apart between processes still share it.
const TTL_SLACK_MS = 5_000;

/**
 * Counters in Redis, shared by every process. Keys are `<prefix>{<bucket>}:<window>:<start>`:
 * the hash tag keeps one bucket's windows in one cluster slot, as a script over several keys needs.
 */
export function createRedisRateLimitStore(redis: Redis, prefix = 'frontdesk:rl:'): RateLimitStore {
  const run = async (keys: string[], args: number[]): Promise<unknown> => {
    try {
      return await redis.evalsha(CONSUME_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      // First call on this server (or after SCRIPT FLUSH): send the script itself, which caches it.
      if (err instanceof Error && err.message.startsWith('NOSCRIPT'))
        return redis.eval(CONSUME, keys.length, ...keys, ...args);
      throw err;
    }
  };

  return {
    backend: 'redis',
    async consume(bucket, windows, nowMs) {
      const keys: string[] = [];
      const args: number[] = [];
      for (const w of windows) {
        keys.push(`${prefix}{${bucket}}:${w.name}:${windowStart(nowMs, w.windowMs)}`);
        args.push(w.limit, w.windowMs + TTL_SLACK_MS);
      }
      const reply = await run(keys, args);
      if (!Array.isArray(reply) || reply.length !== windows.length + 1)
        throw new Error('Unexpected reply from the rate-limit script');
      const [allowed, ...counts] = reply.map(Number);
      return { allowed: allowed === 1, counts };
    },
  };
}
