import type { z } from 'zod';
import type { Headers } from '../../channels/channel.js';
import { channelSettings, type ChannelSettings } from '../../channels/settings.js';
import { twilioForm, verifyTwilioSignature } from '../../channels/twilio.js';
import { AppError, fieldIssues, forbidden } from '../errors.js';
import type { Counters } from '../metrics/index.js';
import type { CredentialsService, TenantsService } from '../tenants/index.js';
import { ensureActive, firstValue, signatureError } from './receive.js';

/**
 * What Twilio's webhooks (SMS, voice) share: the tenant named by `?business_id=` or an
 * `X-API-Key` a proxy adds, the signature checked when the tenant keeps an auth token, and only
 * then the form read against its schema.
 */

export interface TwilioHook {
  rawBody: Buffer;
  headers: Headers;
  query: Record<string, unknown>;
  /** The public URL Twilio called (PUBLIC_BASE_URL and the path with its query): what Twilio signed. */
  url: string;
  receivedAt: Date;
}

export interface TwilioRequestPorts {
  tenants: Pick<TenantsService, 'getConfigWithSecrets' | 'statusOf'>;
  credentials: Pick<CredentialsService, 'authenticate'>;
  /** Per-tenant webhook health (`twilio_by_business`): only here is the tenant known, also for the requests that fail. */
  counters: Pick<Counters, 'incrementForBusiness'>;
}

export interface VerifiedTwilioRequest<F> {
  tenantId: string;
  settings: ChannelSettings | undefined;
  form: F;
}

/** `?business_id=` or the tenant of an `X-API-Key`; both, only when they agree. */
async function tenantOf(ports: TwilioRequestPorts, hook: TwilioHook): Promise<string> {
  const named = firstValue(hook.query.business_id);
  const key = firstValue(hook.headers['x-api-key']);
  const keyTenant = key ? (await ports.credentials.authenticate(key))?.tenantId : undefined;
  if (key && !keyTenant) throw new AppError('UNAUTHENTICATED', 'Invalid or expired credential in x-api-key');
  if (named && keyTenant && named !== keyTenant)
    throw forbidden('The API key does not belong to the business named in business_id');
  const tenantId = named ?? keyTenant;
  if (!tenantId) throw new AppError('UNAUTHENTICATED', 'Name the business with ?business_id= or an X-API-Key header');
  await ensureActive(ports.tenants, tenantId);
  return tenantId;
}

/**
 * Names the tenant, then counts the webhook and any failure (a bad signature, a form that is not
 * Twilio's, a fault in `handle`) under that tenant as `<kind>_requests` and `<kind>_errors`, and
 * hands `handle` the tenant, its Twilio settings and the form once the signature (when the tenant
 * keeps a token) checks out.
 */
export async function handleTwilioRequest<S extends z.ZodType, T>(
  ports: TwilioRequestPorts,
  hook: TwilioHook,
  schema: S,
  kind: 'sms' | 'voice',
  handle: (request: VerifiedTwilioRequest<z.infer<S>>) => Promise<T>,
): Promise<T> {
  const tenantId = await tenantOf(ports, hook);
  ports.counters.incrementForBusiness('twilio_by_business', tenantId, `${kind}_requests`);
  try {
    return await handle(await verified(ports, hook, schema, kind === 'sms' ? 'SMS' : 'voice', tenantId));
  } catch (err) {
    ports.counters.incrementForBusiness('twilio_by_business', tenantId, `${kind}_errors`);
    throw err;
  }
}

async function verified<S extends z.ZodType>(
  ports: TwilioRequestPorts,
  hook: TwilioHook,
  schema: S,
  what: string,
  tenantId: string,
): Promise<VerifiedTwilioRequest<z.infer<S>>> {
  const raw = twilioForm(hook.rawBody);
  const settings = channelSettings(await ports.tenants.getConfigWithSecrets(tenantId), 'twilio');
  if (settings?.auth_token) {
    const check = verifyTwilioSignature(settings.auth_token, hook.headers, hook.url, raw);
    if (!check.ok) throw signatureError(check, 'Twilio');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('VALIDATION', `Not a Twilio ${what} webhook payload`, {
      fields: fieldIssues(parsed.error.issues, true),
    });
  }
  return { tenantId, settings, form: parsed.data };
}
