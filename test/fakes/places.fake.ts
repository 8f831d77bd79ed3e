import { startFakeServer, type FakeRequest } from './fake-server.js';

/**
 * A Google Places-shaped API on 127.0.0.1: `GET /textsearch/json?query=<q>&key=<key>` answers
 * `{status, results: [{name, formatted_address, place_id}]}` from the places given for that query,
 * and `GET /details/json?place_id=…&key=…` answers `{status, result: {international_phone_number}}`.
 * A wrong key answers `{status: "REQUEST_DENIED"}` as Google does.
 */

export interface FakePlace {
  name: string;
  address: string;
  phone?: string;
}

export interface PlacesFake {
  url: string;
  requests: { path: string; query: Record<string, string> }[];
  close(): Promise<void>;
}

export async function startPlacesFake(key: string, byQuery: Record<string, FakePlace[]>): Promise<PlacesFake> {
  const places = new Map<string, FakePlace>();
  let n = 0;
  const idOf = (p: FakePlace) => {
    const id = `ChIJ${(n += 1).toString().padStart(6, '0')}`;
    places.set(id, p);
    return id;
  };
  const denied = (req: FakeRequest) =>
    req.query.key === key ? undefined : { status: 200, body: { status: 'REQUEST_DENIED', results: [] } };
  const server = await startFakeServer({
    routes: [
      {
        method: 'GET',
        path: '/textsearch/json',
        undocumented: true,
        handle: (req) => {
          const found = byQuery[req.query.query ?? ''] ?? [];
          const results = found.map((p) => ({ name: p.name, formatted_address: p.address, place_id: idOf(p) }));
          return { status: 200, body: { status: results.length ? 'OK' : 'ZERO_RESULTS', results } };
        },
      },
      {
        method: 'GET',
        path: '/details/json',
        undocumented: true,
        handle: (req) => {
          const p = places.get(req.query.place_id ?? '');
          if (!p) return { status: 200, body: { status: 'NOT_FOUND' } };
          return {
            status: 200,
            body: { status: 'OK', result: p.phone ? { international_phone_number: p.phone } : {} },
          };
        },
      },
    ],
    error: (status, message) => ({ status, body: { status: 'INVALID_REQUEST', error_message: message } }),
    guard: denied,
    record: (req) => ({ path: req.path, query: req.query }),
  });
  return { url: server.url, requests: server.requests, close: server.close };
}
