import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { systemClock, type Clock } from '../../lib/clock.js';
import {
  verifyCallRailSignature,
  verifyTimestampedSignature,
  type HeaderValue,
  type SignatureCheck,
} from '../../providers/callrail/signatures.js';
import { toJson } from '../../store/json.js';
import { AppError, notFound, type FieldIssue } from '../errors.js';
import type { ChannelRoutes } from '../routing/channel-routes.service.js';
import type { CredentialsService, TenantsService } from '../tenants/index.js';
import {
  callrailNativeSchema,
  callrailWebhookSchema,
  leadWebhookSchema,
  pipelineConfigSchema,
  type PipelineConfig,
} from './ingestion.schema.js';
import { IDEMPOTENCY_PREFIX, type IntakeResult, type IntakeService } from './intake.service.js';
import { createPromiseCache } from '../../lib/promise-cache.js';

export interface InboundWebhook {
  rawBody: Buffer;
  body: unknown;
  headers: Record<string, HeaderValue>;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
}

export interface WebhookIntakeService {
  /**
   * A CallRail call, in spec A's shape (`x-callrail-signature` over timestamp and body, tenant in
   * the body) or CallRail's own (`Signature`, tenant found by its CallRail company).
   */
  callrail(hook: InboundWebhook): Promise<IntakeResult>;
  /** A lead from a form or an API client, already authenticated as `tenantId`. */
  lead(tenantId: string, hook: InboundWebhook & { idempotencyKey?: string | undefined }): Promise<IntakeResult>;
}

const signatureFailed = (check: SignatureCheck & { ok: false }) =>
  new AppError('INVALID_SIGNATURE', 'Webhook signature verification failed', { details: { reason: check.reason } });

function fieldIssues(issues: { path: PropertyKey[]; message: string }[]): FieldIssue[] {
  return issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', issue: i.message }));
}

const MAX_CACHED_NUMBERS = 10_000;
/** Parsed numbers, remembered: a tenant's tracking and business numbers repeat on every call, and parsing is costly. */
const numbers = new Map<string, string>();
/** Already E.164 (what CallRail sends): kept as is, without parsing. */
const E164 = /^\+[1-9]\d{7,14}$/;
const e164 = (v: string | null | undefined): string | null => {
  if (!v) return null;
  if (E164.test(v)) return v;
  let parsed = numbers.get(v);
  if (parsed === undefined) {
    parsed = parsePhoneNumberFromString(v, 'US')?.number ?? v;
    if (numbers.size >= MAX_CACHED_NUMBERS) numbers.clear();
    numbers.set(v, parsed);
  }
  return parsed;
};
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
/** A JSON body is stored as it came; a form's fields (or a body the route did not keep) are serialised as JSON. */
const payloadText = (hook: InboundWebhook): string => {
  const json = String(hook.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/json');
  return json && hook.rawBody.length > 0 ? hook.rawBody.toString('utf8') : toJson(hook.body);
};
const num = (v: unknown): number | null =>
  v === undefined || v === null || v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : null;

/** What verifying a tenant's webhooks needs: its CallRail settings and its webhook secrets, opened. */
interface WebhookSettings {
  config: PipelineConfig;
  webhookSecrets: string[];
}

/**
 * How long a tenant's webhook settings are reused. Only an accepted signature trusts the cached copy: a
 * refusal is checked again against fresh settings, so a new secret or scheme works at once and a revoked
 * one stops working within this time.
 */
export const WEBHOOK_SETTINGS_TTL_MS = 5_000;
const MAX_CACHED_SETTINGS = 10_000;

export function createWebhookIntakeService(deps: {
  /** Finds a CallRail company's tenant. */
  routes: Pick<ChannelRoutes, 'tenantsFor'>;
  tenants: TenantsService;
  credentials: CredentialsService;
  intake: IntakeService;
  clock?: Clock;
}): WebhookIntakeService {
  const clock = deps.clock ?? systemClock;
  const settings = createPromiseCache<WebhookSettings>({
    ttlMs: WEBHOOK_SETTINGS_TTL_MS,
    maxEntries: MAX_CACHED_SETTINGS,
    now: () => clock.now().getTime(),
  });

  /** The tenant's settings, from the cache unless `fresh`; `cached` says whether they came from it. */
  const settingsOf = async (tenantId: string, fresh: boolean): Promise<{ value: WebhookSettings; cached: boolean }> => {
    const { value, cached } = settings.get(
      tenantId,
      () =>
        Promise.all([deps.tenants.getConfigWithSecrets(tenantId), deps.credentials.webhookSecrets(tenantId)]).then(
          ([config, webhookSecrets]) => ({
            config: pipelineConfigSchema.parse(config),
            webhookSecrets,
          }),
        ),
      { fresh },
    );
    return { value: await value, cached };
  };

  /** Runs `check` on the tenant's settings; a refusal based on cached settings is checked again on fresh ones. */
  const verified = async (
    tenantId: string,
    check: (s: WebhookSettings) => AppError | undefined,
  ): Promise<WebhookSettings> => {
    let current = await settingsOf(tenantId, false);
    let refusal = check(current.value);
    if (refusal && current.cached) {
      current = await settingsOf(tenantId, true);
      refusal = check(current.value);
    }
    if (refusal) throw refusal;
    return current.value;
  };

  const ensureActive = async (tenantId: string) => {
    const status = await deps.tenants.statusOf(tenantId);
    if (status === 'missing') throw notFound('tenant', tenantId);
    if (status === 'suspended') throw new AppError('FORBIDDEN', `Tenant ${tenantId} is suspended`);
  };

  const specFormat = async (hook: InboundWebhook): Promise<IntakeResult> => {
    const parsed = callrailWebhookSchema.safeParse(hook.body);
    const tenantMissing = parsed.success && !parsed.data.tenant_id;
    if (!parsed.success || tenantMissing) {
      const fields = parsed.success ? [] : fieldIssues(parsed.error.issues);
      if (tenantMissing) fields.push({ field: 'tenant_id', issue: 'required field missing' });
      throw new AppError('VALIDATION', 'Invalid request payload', { fields });
    }
    const body = parsed.data;
    const tenantId = body.tenant_id!;
    await ensureActive(tenantId);
    await verified(tenantId, ({ config, webhookSecrets }) => {
      if (config.callrail.signature_scheme === 'callrail_signature') {
        return new AppError(
          'INVALID_SIGNATURE',
          'This tenant accepts only CallRail-signed webhooks (Signature header)',
        );
      }
      const check = verifyTimestampedSignature({
        signature: hook.headers['x-callrail-signature'],
        timestamp: hook.headers['x-timestamp'],
        rawBody: hook.rawBody,
        secrets: webhookSecrets,
      });
      return check.ok ? undefined : signatureFailed(check);
    });
    return deps.intake.accept(tenantId, {
      source: 'callrail',
      externalId: body.call_id,
      dedupeKey: `callrail:${body.call_id}`,
      originalPayload: payloadText(hook),
      receivedAt: hook.receivedAt,
      callData: {
        call_id: body.call_id,
        caller_phone: e164(body.caller_id),
        caller_name: body.caller_name ?? null,
        duration: num(body.duration),
        answered: body.answered ?? null,
        start_time: body.start_time ?? null,
        end_time: body.end_time ?? null,
        recording_url: body.recording_url ?? null,
        recording_duration: num(body.recording_duration),
        tracking_phone_number: e164(body.tracking_phone_number),
        business_phone_number: e164(body.business_phone_number),
        tags: body.tags ?? [],
        lead_status: body.lead_status ?? null,
        company_id: str(body.company_id),
      },
    });
  };

  const nativeFormat = async (hook: InboundWebhook): Promise<IntakeResult> => {
    const parsed = callrailNativeSchema.safeParse(hook.body);
    const body = parsed.success ? parsed.data : undefined;
    const callId = str(body?.resource_id) ?? str(body?.id);
    if (!body || !callId) {
      throw new AppError('VALIDATION', 'Invalid request payload', {
        fields: parsed.success
          ? [{ field: 'resource_id', issue: 'required field missing' }]
          : fieldIssues(parsed.error.issues),
      });
    }
    const companyIds = [str(body.company_resource_id), str(body.company_id)].filter((v): v is string => v !== null);
    const [tenantId] = await deps.routes.tenantsFor('callrail', companyIds);
    if (!tenantId) {
      throw new AppError(
        'NOT_FOUND',
        `No tenant is configured for CallRail company ${companyIds.join(' / ') || '(none in the payload)'}`,
        { resource: 'tenant' },
      );
    }
    await ensureActive(tenantId);
    await verified(tenantId, ({ config }) => {
      if (config.callrail.signature_scheme === 'spec_hmac_sha256') {
        return new AppError('INVALID_SIGNATURE', 'This tenant accepts only x-callrail-signature webhooks');
      }
      const keys = config.callrail.signing_secret ? [config.callrail.signing_secret] : [];
      const check = verifyCallRailSignature({
        signature: hook.headers.signature,
        rawBody: hook.rawBody,
        signingKeys: keys,
      });
      return check.ok ? undefined : signatureFailed(check);
    });
    const tags = (body.tags ?? []).map((t) => (typeof t === 'string' ? t : t.name));
    return deps.intake.accept(tenantId, {
      source: 'callrail',
      externalId: callId,
      dedupeKey: `callrail:${callId}`,
      originalPayload: payloadText(hook),
      receivedAt: hook.receivedAt,
      callData: {
        call_id: callId,
        caller_phone: e164(body.customer_phone_number),
        caller_name: body.customer_name ?? null,
        duration: num(body.duration),
        answered: body.answered ?? null,
        start_time: body.start_time ?? null,
        recording_url: body.recording ?? null,
        tracking_phone_number: e164(body.tracking_phone_number),
        business_phone_number: e164(body.business_phone_number),
        tags,
        lead_status: body.lead_status ?? null,
        company_id: companyIds[0] ?? null,
      },
    });
  };

  return {
    callrail(hook) {
      // CallRail's own deliveries carry `Signature`; spec A's carry `x-callrail-signature`.
      return hook.headers.signature !== undefined && hook.headers['x-callrail-signature'] === undefined
        ? nativeFormat(hook)
        : specFormat(hook);
    },

    async lead(tenantId, hook) {
      const parsed = leadWebhookSchema.safeParse(hook.body);
      if (!parsed.success)
        throw new AppError('VALIDATION', 'Invalid request payload', { fields: fieldIssues(parsed.error.issues) });
      const body = parsed.data;
      if (body.tenant_id && body.tenant_id !== tenantId) {
        throw new AppError('FORBIDDEN', 'tenant_id does not match the API key', {
          fields: [{ field: 'tenant_id', issue: 'does not match the API key' }],
        });
      }
      await ensureActive(tenantId);
      const source = body.source === 'api' ? 'api' : 'webform';
      return deps.intake.accept(tenantId, {
        source,
        externalId: str(body.custom_fields?.form_id) ?? null,
        dedupeKey: hook.idempotencyKey ? `${IDEMPOTENCY_PREFIX}${hook.idempotencyKey}` : null,
        originalPayload: payloadText(hook),
        receivedAt: hook.receivedAt,
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
    },
  };
}
