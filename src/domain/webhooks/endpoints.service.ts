import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import { UrlRefusedError, type SafeHttp } from '../../providers/http/safe-fetch.js';
import { AppError, fieldIssues, invalid, notFound } from '../errors.js';
import type { WebhookTuning } from './delivery-policy.js';
import { generateSecret } from './signing.js';
import type { CreatedWebhook, Webhook } from './webhook-records.js';
import type { EndpointsRepo, StoredEndpoint } from './webhooks.repo.js';
import { subscribeSchema, type SubscribeInput } from './webhooks.schema.js';

/** Registering, listing, removing and re-enabling a tenant's endpoints. */

export interface EndpointPorts {
  clock: Clock;
  box: SecretBox;
  http: SafeHttp;
  tuning: WebhookTuning;
  endpoints: EndpointsRepo;
}

/** The public record: everything but the sealed secret. */
export function publicWebhook(e: StoredEndpoint): Webhook {
  const { sealedSecret: _sealed, ...webhook } = e;
  return webhook;
}

export async function loadEndpoint(ports: Pick<EndpointPorts, 'endpoints'>, tenantId: string, webhookId: string) {
  const endpoint = await ports.endpoints.find(tenantId, webhookId);
  if (!endpoint) throw notFound('webhook', webhookId);
  return endpoint;
}

/** Throws a VALIDATION error naming `field` when a URL may not be called (scheme, credentials, private address). */
export async function validateUrl(http: SafeHttp, url: string, field = 'url'): Promise<void> {
  try {
    await http.check(url);
  } catch (error) {
    if (error instanceof UrlRefusedError)
      throw invalid([{ field, issue: error.message, type: error.reason }], `${field} ${error.message}`);
    throw error;
  }
}

export async function subscribe(ports: EndpointPorts, tenantId: string, raw: SubscribeInput): Promise<CreatedWebhook> {
  const parsed = subscribeSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalid(fieldIssues(parsed.error.issues, true));
  }
  const input = parsed.data;
  await validateUrl(ports.http, input.url);
  const limit = ports.tuning.maxEndpointsPerTenant;
  if ((await ports.endpoints.count(tenantId)) >= limit) {
    throw new AppError('CONFLICT', `A tenant may register at most ${limit} webhooks; delete one first`, {
      details: { limit },
    });
  }
  const secret = input.secret ?? generateSecret();
  const now = ports.clock.now();
  const endpoint: StoredEndpoint = {
    id: newId('whk', now.getTime()),
    url: input.url,
    events: input.events,
    sealedSecret: ports.box.seal(secret),
    status: 'active',
    consecutiveFailures: 0,
    failingSince: null,
    disabledAt: null,
    disabledReason: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await ports.endpoints.insert(tenantId, endpoint);
  return { ...publicWebhook(endpoint), secret };
}

export async function enable(ports: EndpointPorts, tenantId: string, webhookId: string): Promise<Webhook> {
  await loadEndpoint(ports, tenantId, webhookId);
  await ports.endpoints.reactivate(tenantId, webhookId, ports.clock.now().toISOString());
  return publicWebhook(await loadEndpoint(ports, tenantId, webhookId));
}

/** A new URL (checked like a new endpoint's) or event list for an endpoint. */
export async function changeEndpoint(
  ports: EndpointPorts,
  tenantId: string,
  webhookId: string,
  raw: { url?: string; events?: string[] },
): Promise<Webhook> {
  await loadEndpoint(ports, tenantId, webhookId);
  const parsed = subscribeSchema.partial().safeParse(raw);
  if (!parsed.success) {
    throw invalid(fieldIssues(parsed.error.issues, true));
  }
  const { url, events } = parsed.data;
  if (url !== undefined) await validateUrl(ports.http, url);
  const change = { ...(url !== undefined ? { url } : {}), ...(events !== undefined ? { events } : {}) };
  await ports.endpoints.change(tenantId, webhookId, change, ports.clock.now().toISOString());
  return publicWebhook(await loadEndpoint(ports, tenantId, webhookId));
}

/** Stops deliveries to an endpoint by hand; pending retries end as dead when they come due. */
export async function disableEndpoint(
  ports: EndpointPorts,
  tenantId: string,
  webhookId: string,
  reason: string,
): Promise<Webhook> {
  await loadEndpoint(ports, tenantId, webhookId);
  await ports.endpoints.disable(tenantId, webhookId, reason, ports.clock.now().toISOString());
  return publicWebhook(await loadEndpoint(ports, tenantId, webhookId));
}

export async function removeEndpoint(ports: EndpointPorts, tenantId: string, webhookId: string): Promise<void> {
  if (!(await ports.endpoints.remove(tenantId, webhookId))) throw notFound('webhook', webhookId);
}
