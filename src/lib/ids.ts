import { randomBytes } from 'node:crypto';

/**
 * Prefixed ids that sort by creation time: `lead_01hx…`. 48 bits of milliseconds then
 * 80 random bits, Crockford base32 (the ULID layout), so ids are unique across processes.
 * Ids made in one millisecond by this process increase (ULID's monotonic mode), so rows
 * created together list in creation order when sorted by time and id.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_CHARS = 16;

let lastMs = -1;
let lastRandom: number[] = [];

export function newId(prefix: string, now: number = Date.now()): string {
  if (now !== lastMs || !increment(lastRandom)) {
    lastMs = now;
    lastRandom = randomDigits(RANDOM_CHARS);
  }
  let random = '';
  for (const d of lastRandom) random += ALPHABET[d]!;
  return `${prefix}_${encodeTime(now)}${random}`;
}

/** Adds one to base-32 digits in place; false when they overflow (then fresh random digits are drawn). */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 31) {
      digits[i]! += 1;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

/** A random token with a readable prefix, for keys and secrets (`fd_live_…`). */
export function newToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/** Random bytes drawn a block at a time: one system call per block instead of one per id. */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function randomDigits(chars: number): number[] {
  if (poolOffset + chars > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const digits = new Array<number>(chars);
  for (let i = 0; i < chars; i++) digits[i] = pool[poolOffset + i]! & 31;
  poolOffset += chars;
  return digits;
}
