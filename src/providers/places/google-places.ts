import { HttpRequestError, UrlRefusedError, type SafeHttp } from '../http/safe-fetch.js';

/**
 * Businesses to call, from an API in the shape of Google Places: Text Search
 * (`GET {base}/textsearch/json?query=<niche> in <city>&key=…` → `results[{name, formatted_address,
 * place_id}]`, `next_page_token`) then Place Details (`GET {base}/details/json?place_id=…&fields=…`
 * → `result.international_phone_number`) for each place.
 */

export const GOOGLE_PLACES_BASE_URL = 'https://maps.googleapis.com/maps/api/place';

export interface PlacesAccount {
  apiKey: string;
  baseUrl?: string;
}

export interface FoundPlace {
  placeId: string;
  name: string;
  address: string | null;
  /** As the API gives it (international format); null when the place lists none. */
  phone: string | null;
}

export class PlacesError extends Error {
  override name = 'PlacesError';
}

const TIMEOUT_MS = 15_000;
const MAX_BYTES = 2 * 1024 * 1024;

async function getJson(http: SafeHttp, url: string): Promise<Record<string, unknown>> {
  let res;
  try {
    res = await http.request(url, { method: 'GET', timeoutMs: TIMEOUT_MS, maxResponseBytes: MAX_BYTES });
  } catch (err) {
    const why = err instanceof UrlRefusedError || err instanceof HttpRequestError ? err.message : String(err);
    throw new PlacesError(`places search unreachable: ${why}`, { cause: err });
  }
  if (res.status !== 200) throw new PlacesError(`places search answered HTTP ${res.status}`);
  const body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  const status = typeof body.status === 'string' ? body.status : 'OK';
  if (status !== 'OK' && status !== 'ZERO_RESULTS') throw new PlacesError(`places search said ${status}`);
  return body;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function createPlacesSearch(http: SafeHttp, account: PlacesAccount) {
  let base = account.baseUrl ?? GOOGLE_PLACES_BASE_URL;
  while (base.endsWith('/')) base = base.slice(0, -1);
  const withKey = (path: string, params: Record<string, string>) =>
    `${base}${path}?${new URLSearchParams({ ...params, key: account.apiKey }).toString()}`;

  async function phoneOf(placeId: string): Promise<string | null> {
    const body = await getJson(
      http,
      withKey('/details/json', { place_id: placeId, fields: 'international_phone_number' }),
    );
    const result = (body.result ?? {}) as Record<string, unknown>;
    return text(result.international_phone_number);
  }

  return {
    /** Up to `limit` places for "`niche` in `city`", each with its phone looked up. */
    async search(niche: string, city: string, limit: number): Promise<FoundPlace[]> {
      const body = await getJson(http, withKey('/textsearch/json', { query: `${niche} in ${city}` }));
      const results = Array.isArray(body.results) ? (body.results as Record<string, unknown>[]) : [];
      const places: FoundPlace[] = [];
      for (const r of results.slice(0, limit)) {
        const placeId = text(r.place_id);
        const name = text(r.name);
        if (!placeId || !name) continue;
        places.push({ placeId, name, address: text(r.formatted_address), phone: await phoneOf(placeId) });
      }
      return places;
    },
  };
}
export type PlacesSearch = ReturnType<typeof createPlacesSearch>;
