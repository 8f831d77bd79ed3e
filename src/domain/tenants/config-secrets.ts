import type { SecretBox } from '../../lib/secrets.js';
import { HIDDEN, SECRET_KEY } from './tenant-config.schema.js';

const SEALED = 'sealed:';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function mapSecrets(value: Json, fn: (secret: string, key: string) => string, key = ''): Json {
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, fn, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, fn, k)]));
  }
  return typeof value === 'string' && SECRET_KEY.test(key) ? fn(value, key) : value;
}

/** Seals every secret-named string before it is stored. */
export function sealSecrets(config: Record<string, unknown>, box: SecretBox): Record<string, unknown> {
  return mapSecrets(config as Json, (v) => (v.startsWith(SEALED) ? v : SEALED + box.seal(v))) as Record<
    string,
    unknown
  >;
}

/** Opens sealed secrets, for the code that has to use them (a vendor adapter). */
export function openSecrets(config: Record<string, unknown>, box: SecretBox): Record<string, unknown> {
  return mapSecrets(config as Json, (v) => (v.startsWith(SEALED) ? box.open(v.slice(SEALED.length)) : v)) as Record<
    string,
    unknown
  >;
}

/** What a response or an audit entry may show: every secret as `***hidden***`. */
export function maskSecrets<T>(config: T): T {
  return mapSecrets(config as Json, () => HIDDEN) as T;
}
