/** The five API surfaces; every path belongs to exactly one, which decides its error dialect. */
export type SurfaceId = 'ingestion' | 'leadgen' | 'telephony' | 'chatbot' | 'qualifier';

const TELEPHONY_V1 = /^\/v1\/(voice|crm|owner|reminders|retention|widget|admin)(\/|$)/;
const TELEPHONY_ROOT = /^\/(telephony|twilio|healthz|metrics)(\/|$)/;
const LEADGEN_API = /^\/api\/(leads|campaigns|platform|ml|webhooks\/(twilio|exotel))(\/|$)/;

export function surfaceOf(url: string): SurfaceId {
  const path = url.split('?', 1)[0] ?? '/';
  if (path.startsWith('/api/v2/') || path === '/api/v2') return 'chatbot';
  if (TELEPHONY_V1.test(path) || TELEPHONY_ROOT.test(path)) return 'telephony';
  if (path.startsWith('/v1/') || path === '/v1') return 'ingestion';
  if (LEADGEN_API.test(path)) return 'leadgen';
  // /api/* of spec E, the shared /health* of specs B and E, and platform paths (/openapi.json, /.well-known).
  return 'qualifier';
}
