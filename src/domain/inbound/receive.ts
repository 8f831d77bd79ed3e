import { bodyForRouting, decodeBody } from '../../channels/body.js';
import type { Channel, Headers, Recipient, SignatureCheck } from '../../channels/channel.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../errors.js';
import type { ChannelRoutes } from '../routing/index.js';
import type { RoutedChannel } from '../routing/index.js';
import type { TenantsService } from '../tenants/index.js';

/**
 * The one inbound flow every signed channel goes through: read who the request is for (leniently,
 * nothing trusted yet), find the tenant through `channel_routes`, check the signature on the raw
 * bytes with that tenant's secrets, admit the request against the tenant's limits, and only then
 * decode and normalise the body. A body that does not even decode is refused as unauthenticated
 * when no tenant can be named for it, and as malformed only once a tenant's signature matched.
 */

/** An inbound platform request as the surface hands it over: bytes and headers, not parsed. */
export interface ChannelHook {
  rawBody: Buffer;
  headers: Headers;
  query: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** Called once the tenant is known and the signature checks out, before any work: the surface counts the request against the tenant's rate limit (and may refuse it). */
  admit?: (tenantId: string) => Promise<void>;
}

export interface ReceivePorts {
  clock: Clock;
  tenants: Pick<TenantsService, 'getConfigWithSecrets' | 'statusOf'>;
  routes: Pick<ChannelRoutes, 'tenantsFor' | 'tenantsOn' | 'anyOn' | 'fingerprint'>;
}

export interface Candidate<S> {
  tenantId: string;
  settings: S;
}

/** How one channel is routed and checked, beyond what its adapter says. */
export interface ReceiveSpec<S, E> {
  channel: Channel<S, E> & { id: RoutedChannel };
  hook: ChannelHook;
  /** The tenant's settings of this channel, when it has the channel enabled. */
  settingsOf: (tenantId: string) => Promise<S | undefined>;
  /** Tenants to try when the request names no recipient; without it, such a decoded body is refused by `noRecipient`. */
  unkeyed?: { label: string; tenants: () => Promise<string[]> };
  noRecipient?: () => AppError;
  /** Route keys that are secrets are looked up by their fingerprint. */
  fingerprintKeys?: boolean;
  /** Called when no tenant holds the request's key, before it is refused as addressed to no one. */
  onNoCandidates?: () => Promise<void>;
}

export interface Received<E> {
  /** Each recipient's tenant, by recipient id; `tenantId` is the first. */
  tenantOf: Map<string, string>;
  tenantId: string;
  event: E;
}

export const firstValue = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

export async function ensureActive(tenants: Pick<TenantsService, 'statusOf'>, tenantId: string): Promise<void> {
  const status = await tenants.statusOf(tenantId);
  if (status === 'missing') throw notFound('tenant', tenantId);
  if (status === 'suspended') throw new AppError('FORBIDDEN', `Tenant ${tenantId} is suspended`);
}

export function signatureError(check: SignatureCheck & { ok: false }, label: string): AppError {
  const messages: Record<typeof check.reason, string> = {
    missing_signature: `Missing ${label} signature header`,
    malformed_signature: `Malformed ${label} signature header`,
    signature_mismatch: `${label} signature verification failed`,
    stale_timestamp: `${label} request timestamp is outside the 5-minute window`,
    no_secret_configured: `No ${label} signing secret is configured for this tenant`,
  };
  return new AppError('INVALID_SIGNATURE', messages[check.reason], { details: { reason: check.reason } });
}

export const malformedBody = () =>
  new AppError('MALFORMED_BODY', 'Body is not valid JSON', {
    fields: [{ field: 'body', issue: 'is not valid JSON', type: 'json_invalid' }],
  });

/** The tenants `route` finds (or the one `?tenant_id=` names), with the channel enabled. */
async function candidates<S>(spec: ReceiveSpec<S, unknown>, route: () => Promise<string[]>): Promise<Candidate<S>[]> {
  const only = firstValue(spec.hook.query.tenant_id);
  const found: Candidate<S>[] = [];
  for (const tenantId of only ? [only] : await route()) {
    const settings = await spec.settingsOf(tenantId);
    if (settings) found.push({ tenantId, settings });
  }
  return found;
}

/** The first candidate whose secret verifies the request; the last failure when none does. */
async function authenticate<S>(
  ports: ReceivePorts,
  spec: ReceiveSpec<S, unknown>,
  list: Candidate<S>[],
  recipientLabel: string,
): Promise<Candidate<S>> {
  const { channel, hook } = spec;
  if (list.length === 0) {
    throw new AppError(
      'INVALID_SIGNATURE',
      `No tenant has ${channel.label} configured for this request (${recipientLabel})`,
      { details: { reason: 'unknown_recipient' } },
    );
  }
  let failure: (SignatureCheck & { ok: false }) | undefined;
  for (const c of list) {
    const result = channel.verify(hook, channel.secretsOf(c.settings), ports.clock.now().getTime());
    if (result.ok) {
      await ensureActive(ports.tenants, c.tenantId);
      await hook.admit?.(c.tenantId);
      return c;
    }
    // A missing or malformed header fails the same way for every tenant.
    if (
      result.reason === 'missing_signature' ||
      result.reason === 'malformed_signature' ||
      result.reason === 'stale_timestamp'
    )
      throw signatureError(result, channel.label);
    failure = result;
  }
  throw signatureError(failure!, channel.label);
}

function recipientsOf<S, E>(spec: ReceiveSpec<S, E>): Recipient[] {
  const body = bodyForRouting(spec.hook);
  const recipients = spec.channel.recipients(spec.hook, body);
  if (recipients.length > 0) return recipients;
  if (spec.unkeyed) return [{ id: '', label: spec.unkeyed.label, keys: [] }];
  // A body that does not decode names no one: refused as addressed to no tenant, below.
  if (body === undefined && !decodeBody(spec.hook).ok) return [{ id: '', label: 'an unreadable body', keys: [] }];
  throw spec.noRecipient?.() ?? malformedBody();
}

export async function receive<S, E>(ports: ReceivePorts, spec: ReceiveSpec<S, E>): Promise<Received<E>> {
  const { channel, hook } = spec;
  const tenantOf = new Map<string, string>();
  // Every recipient must belong to a tenant whose secret signed the request, before anything is stored.
  for (const r of recipientsOf(spec)) {
    const keys = spec.fingerprintKeys ? r.keys.map((k) => ports.routes.fingerprint(k)) : r.keys;
    const list = await candidates(spec, () =>
      keys.length > 0 ? ports.routes.tenantsFor(channel.id, keys) : (spec.unkeyed?.tenants() ?? Promise.resolve([])),
    );
    if (list.length === 0 && !firstValue(hook.query.tenant_id)) await spec.onNoCandidates?.();
    tenantOf.set(r.id, (await authenticate(ports, spec, list, r.label)).tenantId);
  }
  const decoded = decodeBody(hook);
  if (!decoded.ok) throw malformedBody();
  return {
    tenantOf,
    tenantId: tenantOf.values().next().value!,
    event: channel.normalise(decoded.body, new Date(hook.receivedAt)),
  };
}
