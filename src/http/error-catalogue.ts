import { AppError, type AppErrorOptions, type ErrorCode, type Resource } from '../domain/errors.js';
import { defaultStatus } from './envelope.js';
import type { SurfaceDialect, SurfaceId } from './surface.js';

/**
 * The error codes the surfaces' envelopes can put in a body, found by rendering every internal
 * code through every surface rather than listed by hand, so the documentation `/docs#errors-<CODE>`
 * points at (the "Errors" section of the OpenAPI description) cannot fall behind an envelope.
 */

/** Every internal code, from the table every one of them must be in. */
export const ERROR_CODES = Object.keys(defaultStatus) as ErrorCode[];

/** Every resource a NOT_FOUND may name (envelopes may turn some into codes of their own, such as TENANT_NOT_FOUND). */
export const RESOURCES = [
  'tenant',
  'request',
  'route',
  'user',
  'credential',
  'lead',
  'batch',
  'webhook',
  'delivery',
  'conversation',
  'message',
  'session',
  'export',
  'job',
  'appointment',
  'campaign',
] as const satisfies readonly Resource[];

// Fails to compile when domain/errors.ts gains a resource this list lacks.
type MissingResource = Exclude<Resource, (typeof RESOURCES)[number]>;
const everyResourceListed: [MissingResource] extends [never] ? true : MissingResource = true;
void everyResourceListed;

/** What each internal code means to a client, in a sentence it can act on. */
const MEANING: Record<ErrorCode, string> = {
  VALIDATION:
    'A path, query or body field is missing or invalid. The details name each field and what is wrong with it.',
  MALFORMED_BODY:
    'The body is not valid JSON, is empty while declared as JSON, or carries `__proto__`/`constructor.prototype` keys.',
  UNAUTHENTICATED:
    'No credential was sent, or the one sent is unknown, revoked or expired (or its tenant no longer exists).',
  INVALID_SIGNATURE:
    "An inbound webhook's signature or token is missing, malformed, outside its time window or does not match; `details.reason` says which.",
  FORBIDDEN:
    "The credential is valid but may not do this: another tenant's resource, a credential kind the route does not take, a read-only token writing, a suspended tenant, or a signed link that does not verify.",
  NOT_FOUND: 'The resource does not exist or belongs to another tenant, or no route matches the path.',
  METHOD_NOT_ALLOWED: 'The path exists but not with this method; the `Allow` header lists the methods it takes.',
  CONFLICT:
    "The request conflicts with the resource's state: an `Idempotency-Key` reused with another body, a closed conversation, retrying a message that did not fail, starting a campaign that is not a draft or resuming one that is not paused, a value another tenant already holds.",
  GONE: 'The resource existed and has expired or ended: an expired download link, an expired or ended session.',
  PAYLOAD_TOO_LARGE: 'The body is larger than the server accepts (`FRONTDESK_BODY_LIMIT`, 1 MiB by default).',
  UNSUPPORTED_MEDIA_TYPE:
    'The body has no `Content-Type`, or one the route does not take: send `application/json` (or `application/x-www-form-urlencoded` where a form is accepted).',
  RATE_LIMITED:
    "The tenant's budget for this window is spent. Wait `Retry-After` seconds; the `X-RateLimit-*` headers say when the window resets.",
  QUOTA_EXCEEDED:
    "A plan's limit other than the request rate was reached (such as batch size or batches running at once); `details` names the limit.",
  UPSTREAM_CRM: "The CRM refused or failed the call; the message carries the vendor's own words.",
  UPSTREAM_AI: 'Analysing or answering the message failed; `details` says whether it can be retried.',
  UPSTREAM: 'An outside service the request depends on failed.',
  UNAVAILABLE:
    'A dependency is unreachable or a disk refuses writes. Try again later (after `Retry-After` seconds when it is sent).',
  DATABASE:
    'The database is unreachable, read-only or full. Try again later (after `Retry-After` seconds when it is sent).',
  INTERNAL:
    'An unexpected error. The body carries only a fixed message and the request id; the details are in the server log.',
};

/** One code an envelope can put in a body, with each surface that uses it. */
export interface CatalogueEntry {
  code: string;
  meaning: string;
  uses: { surface: SurfaceId; status: number }[];
}

/** The probes a code is rendered with: bare, about a resource, with a field, with a rate limit. */
function probes(code: ErrorCode): AppError[] {
  const variants: AppErrorOptions[] = [
    {},
    ...RESOURCES.map((resource) => ({ resource })),
    { fields: [{ field: 'field', issue: 'is invalid' }] },
    { rateLimit: { limit: 1, windowSeconds: 60, resetAt: 0, retryAfterSeconds: 1 } },
  ];
  return variants.map((options) => new AppError(code, 'probe', options));
}

/** The `error.code` of a rendered body, where the envelope has one (spec C's `{detail}` has none). */
export function renderedCode(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === 'string' ? error.code : undefined;
}

/** Every code the given surfaces can emit, sorted by code, each with its surfaces, statuses and meaning. */
export function errorCatalogue(dialects: readonly SurfaceDialect[]): CatalogueEntry[] {
  const byCode = new Map<string, { uses: Map<string, CatalogueEntry['uses'][number]>; from: Set<ErrorCode> }>();
  const ctx = { requestId: 'req_probe', now: new Date(0) };
  for (const dialect of dialects) {
    for (const internal of ERROR_CODES) {
      for (const probe of probes(internal)) {
        const { status, body } = dialect.render(probe, ctx);
        const code = renderedCode(body);
        if (code === undefined) continue;
        let entry = byCode.get(code);
        if (!entry) byCode.set(code, (entry = { uses: new Map(), from: new Set() }));
        entry.uses.set(`${dialect.id}:${status}`, { surface: dialect.id, status });
        entry.from.add(internal);
      }
    }
  }
  return [...byCode.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, { uses, from }]) => ({
      code,
      meaning: meaningOf(code, [...from]),
      uses: [...uses.values()].sort((a, b) => SURFACE_ORDER.indexOf(a.surface) - SURFACE_ORDER.indexOf(b.surface)),
    }));
}

function meaningOf(code: string, from: ErrorCode[]): string {
  if (code === 'TENANT_NOT_FOUND') return 'The tenant named in the path, the body or X-Tenant-ID does not exist.';
  if (code === 'REQUEST_NOT_FOUND') return "The ingestion request does not exist or is not this tenant's.";
  // A code several internal codes share (VALIDATION_ERROR, AUTHENTICATION_ERROR, …) means each of them.
  return [...new Set(from.map((c) => MEANING[c]))].join(' ');
}

const SURFACE_ORDER: readonly SurfaceId[] = ['ingestion', 'leadgen', 'telephony', 'chatbot', 'qualifier', 'app'];

const SURFACE_NAMES: Record<SurfaceId, string> = {
  ingestion: 'ingestion (`/v1`)',
  leadgen: 'lead-gen (`/api/leads`, `/api/campaigns`, …)',
  telephony: 'telephony',
  chatbot: 'chatbot (`/api/v2`)',
  qualifier: 'qualifier (`/api`)',
  app: 'web app (`/app/api`)',
};

/**
 * The catalogue as markdown for the OpenAPI description, which Swagger UI renders at /docs: one
 * heading per code carrying the id `errors-<CODE>` that error bodies link to.
 */
export function errorsMarkdown(catalogue: readonly CatalogueEntry[]): string {
  const lines = [
    '## Errors',
    '',
    'Every error comes back in the envelope of the surface its path belongs to, with the request id in the body and in `X-Request-ID`. The codes below are every code an envelope can carry; ingestion error bodies link here with `documentation: "/docs#errors-<CODE>"`. The telephony surface answers FastAPI-style `{"detail": …}` bodies with the HTTP status alone (422 for validation).',
    '',
  ];
  for (const entry of catalogue) {
    const statuses = [...new Set(entry.uses.map((u) => u.status))];
    const where = statuses
      .map((status) => {
        const names = entry.uses.filter((u) => u.status === status).map((u) => SURFACE_NAMES[u.surface]);
        const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}` : names.join('');
        return `${status} on ${list}`;
      })
      .join('; ');
    lines.push(`<h3 id="errors-${entry.code}">${entry.code}</h3>`, '', `${entry.meaning} HTTP ${where}.`, '');
  }
  return lines.join('\n');
}

/**
 * Swagger UI renders the description after the page has loaded, so the browser finds no element for
 * `#errors-<CODE>` when it looks; and its deep linking rewrites the hash as an operation tag. This
 * script, added to the /docs page, waits for the element and scrolls to it.
 */
export const ERROR_ANCHOR_SCRIPT = `(function () {
  var match = /^#\\/?(errors-[A-Za-z0-9_]+)$/.exec(window.location.hash);
  if (!match) return;
  var id = match[1];
  var land = function (el) {
    el.scrollIntoView();
    window.history.replaceState(null, '', '#' + id);
  };
  var now = document.getElementById(id);
  if (now) return land(now);
  var observer = new MutationObserver(function () {
    var el = document.getElementById(id);
    if (!el) return;
    observer.disconnect();
    setTimeout(function () { land(el); }, 0);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  setTimeout(function () { observer.disconnect(); }, 30000);
})();
`;

/** Where Swagger UI serves the script (under the UI's own static prefix). */
export const ERROR_ANCHOR_SCRIPT_FILE = 'error-anchors.js';
