import { bodyForRouting, decodeBody } from '../../channels/body.js';
import {
  callrailChannel,
  callrailFormat,
  callrailSpecChannel,
  type CallRailCall,
  type CallRailSettings,
  type CallRailSignatureCheck,
} from '../../channels/callrail.js';
import type { Channel, HeaderValue } from '../../channels/channel.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { createPromiseCache } from '../../lib/promise-cache.js';
import type { DataMode } from '../actor.js';
import { AppError, fieldIssues } from '../errors.js';
import type { ChannelRoutes } from '../routing/index.js';
import type { CredentialsService } from '../tenants/index.js';
import type { TenantsService } from '../tenants/index.js';
import {
  callrailNativeSchema,
  callrailWebhookSchema,
  leadWebhookSchema,
  pipelineConfigSchema,
} from '../calls/index.js';
import { IDEMPOTENCY_PREFIX, type IntakeResult, type IntakeService } from '../calls/index.js';
import { ensureActive } from './receive.js';

/**
 * Call and lead webhooks, handed to the call intake once verified. CallRail goes through its
 * channel adapter: the timestamped format names the tenant in the body and is signed with the tenant's
 * webhook secrets; CallRail's own names a company, found in `channel_routes`, and is signed with
 * the company's key. A lead arrives already authenticated by its API key.
 */

export interface InboundWebhook {
  rawBody: Buffer;
  /** The body as the surface parsed it (the lead webhook); CallRail's is read from the bytes. */
  body?: unknown;
  headers: Record<string, HeaderValue>;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** Counts a verified request against its tenant's webhook limit; throws when the tenant is over it. */
  admit?: (tenantId: string) => Promise<void>;
}

/** A lead webhook carries the mode of the key that sent it. */
export type LeadHook = InboundWebhook & { idempotencyKey?: string | undefined; mode: DataMode };

export interface WebhookIntakeService {
  /**
   * A CallRail call, in the timestamped shape (`x-callrail-signature` over timestamp and body, tenant in
   * the body) or CallRail's own (`Signature`, tenant found by its CallRail company).
   */
  callrail(hook: InboundWebhook): Promise<IntakeResult>;
  /** A lead from a form or an API client, already authenticated as `tenantId`. */
  lead(tenantId: string, hook: LeadHook): Promise<IntakeResult>;
}

export interface CallHookPorts {
  /** Finds a CallRail company's tenant. */
  routes: Pick<ChannelRoutes, 'tenantsFor'>;
  tenants: Pick<TenantsService, 'getConfigWithSecrets' | 'statusOf'>;
  credentials: Pick<CredentialsService, 'webhookSecrets'>;
  intake: IntakeService;
  clock?: Clock;
}

const signatureFailed = (check: CallRailSignatureCheck & { ok: false }) =>
  new AppError('INVALID_SIGNATURE', 'Webhook signature verification failed', { details: { reason: check.reason } });

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;

/** A JSON body is stored as it came; a form's fields (or a body the route did not keep) are serialised as JSON. */
function payloadText(hook: InboundWebhook, body: unknown): string {
  const json = String(hook.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/json');
  return json && hook.rawBody.length > 0 ? hook.rawBody.toString('utf8') : JSON.stringify(body ?? null);
}

/**
 * How long a tenant's webhook settings are reused. Only an accepted signature trusts the cached copy: a
 * refusal is checked again against fresh settings, so a new secret or scheme works at once and a revoked
 * one stops working within this time.
 */
export const WEBHOOK_SETTINGS_TTL_MS = 5_000;
const MAX_CACHED_SETTINGS = 10_000;

/** The tenant's CallRail settings with a cache; `verified` runs a check, again on fresh settings after a cached refusal. */
function createSettingsCache(ports: CallHookPorts) {
  const clock = ports.clock ?? systemClock;
  const cache = createPromiseCache<CallRailSettings>({
    ttlMs: WEBHOOK_SETTINGS_TTL_MS,
    maxEntries: MAX_CACHED_SETTINGS,
    now: () => clock.now().getTime(),
  });
  const load = async (tenantId: string): Promise<CallRailSettings> => {
    const [config, webhookSecrets] = await Promise.all([
      ports.tenants.getConfigWithSecrets(tenantId),
      ports.credentials.webhookSecrets(tenantId),
    ]);
    const { callrail } = pipelineConfigSchema.parse(config);
    return { signatureScheme: callrail.signature_scheme, webhookSecrets, signingSecret: callrail.signing_secret };
  };
  const settingsOf = async (tenantId: string, fresh: boolean) => {
    const { value, cached } = cache.get(tenantId, () => load(tenantId), { fresh });
    return { value: await value, cached };
  };
  return async (tenantId: string, check: (s: CallRailSettings) => AppError | undefined): Promise<void> => {
    let current = await settingsOf(tenantId, false);
    let refusal = check(current.value);
    if (refusal && current.cached) {
      current = await settingsOf(tenantId, true);
      refusal = check(current.value);
    }
    if (refusal) throw refusal;
  };
}

type CallChannel = Channel<CallRailSettings, CallRailCall | undefined, CallRailSignatureCheck>;

/** The signature check of one format, refusing a format the tenant's scheme excludes. */
const checkWith =
  (channel: CallChannel, hook: InboundWebhook, excluded: CallRailSettings['signatureScheme'], refusal: string) =>
  (s: CallRailSettings): AppError | undefined => {
    if (s.signatureScheme === excluded) return new AppError('INVALID_SIGNATURE', refusal);
    const check = channel.verify(hook, channel.secretsOf(s), Date.now());
    return check.ok ? undefined : signatureFailed(check);
  };

function specBody(hook: InboundWebhook) {
  const decoded = decodeBody(hook);
  // Bytes that are not even JSON name no tenant whose secret could have signed them.
  if (!decoded.ok) throw signatureFailed({ ok: false, reason: 'mismatch' });
  const parsed = callrailWebhookSchema.safeParse(decoded.body);
  const tenantMissing = parsed.success && !parsed.data.tenant_id;
  if (!parsed.success || tenantMissing) {
    const fields = parsed.success ? [] : fieldIssues(parsed.error.issues);
    if (tenantMissing) fields.push({ field: 'tenant_id', issue: 'required field missing' });
    throw new AppError('VALIDATION', 'Invalid request payload', { fields });
  }
  return { body: decoded.body, parsed: parsed.data };
}

async function specFormat(
  ports: CallHookPorts,
  verified: ReturnType<typeof createSettingsCache>,
  hook: InboundWebhook,
) {
  const { body, parsed } = specBody(hook);
  const tenantId = parsed.tenant_id!;
  await ensureActive(ports.tenants, tenantId);
  await verified(
    tenantId,
    checkWith(
      callrailSpecChannel,
      hook,
      'callrail_signature',
      'This tenant accepts only CallRail-signed webhooks (Signature header)',
    ),
  );
  const call = callrailSpecChannel.normalise(parsed);
  return accept(ports, tenantId, hook, body, call);
}

async function nativeFormat(
  ports: CallHookPorts,
  verified: ReturnType<typeof createSettingsCache>,
  hook: InboundWebhook,
) {
  const [recipient] = callrailChannel.recipients(hook, bodyForRouting(hook));
  const decoded = decodeBody(hook);
  if (!decoded.ok && !recipient) throw signatureFailed({ ok: false, reason: 'mismatch' });
  const parsed = callrailNativeSchema.safeParse(decoded.ok ? decoded.body : undefined);
  const call = parsed.success ? callrailChannel.normalise(parsed.data) : undefined;
  if (!call) {
    throw new AppError('VALIDATION', 'Invalid request payload', {
      fields: parsed.success
        ? [{ field: 'resource_id', issue: 'required field missing' }]
        : fieldIssues(parsed.error.issues),
    });
  }
  const [tenantId] = recipient ? await ports.routes.tenantsFor('callrail', recipient.keys) : [];
  if (!tenantId) {
    throw new AppError(
      'NOT_FOUND',
      `No tenant is configured for CallRail company ${recipient?.keys.join(' / ') || '(none in the payload)'}`,
      { resource: 'tenant' },
    );
  }
  await ensureActive(ports.tenants, tenantId);
  await verified(
    tenantId,
    checkWith(callrailChannel, hook, 'spec_hmac_sha256', 'This tenant accepts only x-callrail-signature webhooks'),
  );
  return accept(ports, tenantId, hook, decoded.ok ? decoded.body : undefined, call);
}

async function accept(ports: CallHookPorts, tenantId: string, hook: InboundWebhook, body: unknown, call: CallRailCall) {
  // Only a verified request names its tenant, so only then can it count against that tenant's limit.
  await hook.admit?.(tenantId);
  return ports.intake.accept(tenantId, {
    source: 'callrail',
    externalId: call.call_id,
    dedupeKey: `callrail:${call.call_id}`,
    originalPayload: payloadText(hook, body),
    receivedAt: hook.receivedAt,
    callData: { ...call },
    // CallRail signs with the tenant's webhook secret, which has no test twin.
    mode: 'live',
  });
}

async function leadHook(ports: CallHookPorts, tenantId: string, hook: LeadHook) {
  const parsed = leadWebhookSchema.safeParse(hook.body);
  if (!parsed.success)
    throw new AppError('VALIDATION', 'Invalid request payload', { fields: fieldIssues(parsed.error.issues) });
  const body = parsed.data;
  if (body.tenant_id && body.tenant_id !== tenantId) {
    throw new AppError('FORBIDDEN', 'tenant_id does not match the API key', {
      fields: [{ field: 'tenant_id', issue: 'does not match the API key' }],
    });
  }
  await ensureActive(ports.tenants, tenantId);
  return ports.intake.accept(tenantId, {
    source: body.source === 'api' ? 'api' : 'webform',
    externalId: text(body.custom_fields?.form_id) ?? null,
    dedupeKey: hook.idempotencyKey ? `${IDEMPOTENCY_PREFIX}${hook.idempotencyKey}` : null,
    originalPayload: payloadText(hook, hook.body),
    receivedAt: hook.receivedAt,
    mode: hook.mode,
    callData: {
      caller_name: body.customer_name ?? null,
      caller_phone: body.customer_phone ?? null,
      caller_email: body.customer_email?.toLowerCase() ?? null,
      project_type: body.project_type ?? null,
      budget_range: body.budget_range ?? null,
      timeline: body.timeline ?? null,
      contact_preferences: body.contact_preferences ?? [],
      form_source: body.source,
    },
  });
}

export function createWebhookIntakeService(ports: CallHookPorts): WebhookIntakeService {
  const verified = createSettingsCache(ports);
  return {
    callrail: (hook) =>
      callrailFormat(hook) === 'native' ? nativeFormat(ports, verified, hook) : specFormat(ports, verified, hook),
    lead: (tenantId, hook) => leadHook(ports, tenantId, hook),
  };
}
