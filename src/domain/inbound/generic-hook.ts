import { decodeBody } from '../../channels/body.js';
import {
  GENERIC_EVENT_TYPES,
  genericChannel,
  genericMessage,
  type GenericEvent,
  type IntegrationSettings,
} from '../../channels/generic.js';
import { newId } from '../../lib/ids.js';
import type { ConversationUpkeepService } from '../conversations/index.js';
import type { ContactsService } from '../identity/index.js';
import type { CredentialsService } from '../tenants/index.js';
import { AppError, fieldIssues, invalid } from '../errors.js';
import type { ConversationRows, TenantConfigsReader } from './inbound.repo.js';
import { ensureActive, firstValue, malformedBody, type ChannelHook, type ReceivePorts } from './receive.js';
import { receiveOne, type TurnPorts } from './turns.js';

/**
 * Custom integrations: the tenant's CRM, shop or helpdesk posts events with the bearer token of
 * the integration named in the path. The path names no key of ours that routes, so the tenants
 * configuring that integration are tried in turn.
 */

/** What one integration event did. */
export interface GenericOutcome {
  eventId: string;
  eventType: GenericEvent['event_type'];
  actions: string[];
  affectedConversations: string[];
  contactId?: string;
  messageId?: string;
  conversationId?: string;
}

export type GenericPorts = ReceivePorts &
  TurnPorts & {
    configs: TenantConfigsReader;
    conversations: ConversationRows;
    upkeep: Pick<ConversationUpkeepService, 'setContext'>;
    contacts: Pick<ContactsService, 'updateFromIntegration'>;
    credentials: Pick<CredentialsService, 'webhookSecrets'>;
  };

/**
 * Tenant creation advertises `/webhooks/generic/<tenant id>`: until an integration takes that
 * name, the path names the tenant itself and its webhook secret is the bearer token. Undefined
 * when the path names no tenant, or an integration of that name is configured.
 */
async function tenantNamedInPath(
  ports: GenericPorts,
  integrationId: string,
  hook: ChannelHook,
): Promise<string | undefined> {
  if ((await ports.tenants.statusOf(integrationId)) === 'missing') return undefined;
  const config = await ports.tenants.getConfigWithSecrets(integrationId);
  if ((config.integrations as Record<string, unknown> | undefined)?.[integrationId]) return undefined;
  const check = genericChannel.verify(hook, await ports.credentials.webhookSecrets(integrationId));
  if (check.ok) return integrationId;
  throw new AppError(
    'UNAUTHENTICATED',
    check.reason === 'missing_signature' || check.reason === 'malformed_signature'
      ? 'Missing or malformed Authorization: Bearer <webhook secret>'
      : "Invalid webhook token: send the tenant's webhook secret",
  );
}

/** The tenant whose integration token the request carries. */
async function tenantOfIntegration(ports: GenericPorts, integrationId: string, hook: ChannelHook): Promise<string> {
  const only = firstValue(hook.query.tenant_id);
  let sawOne = false;
  for (const { tenantId, config } of await ports.configs.listAll()) {
    if (only && tenantId !== only) continue;
    if (!(config.integrations as Record<string, unknown> | undefined)?.[integrationId]) continue;
    sawOne = true;
    const integration = (await ports.tenants.getConfigWithSecrets(tenantId)).integrations?.[integrationId] as
      IntegrationSettings | undefined;
    if (!integration || integration.enabled === false) continue;
    const check = genericChannel.verify(hook, genericChannel.secretsOf(integration));
    if (check.ok) return tenantId;
    if (check.reason === 'missing_signature' || check.reason === 'malformed_signature')
      throw new AppError('UNAUTHENTICATED', 'Missing or malformed Authorization: Bearer <webhook token>');
  }
  throw new AppError(
    'UNAUTHENTICATED',
    sawOne
      ? 'Invalid webhook token for this integration'
      : `No integration '${integrationId}' with a webhook token is configured`,
  );
}

function parseEvent(hook: ChannelHook): GenericEvent {
  const decoded = decodeBody(hook);
  if (!decoded.ok) throw malformedBody();
  const parsed = genericChannel.normalise(decoded.body);
  if (parsed.success) return parsed.data;
  const type = (decoded.body as { event_type?: unknown } | undefined)?.event_type;
  if (typeof type === 'string' && !(GENERIC_EVENT_TYPES as readonly string[]).includes(type))
    throw invalid([{ field: 'event_type', issue: `must be one of ${GENERIC_EVENT_TYPES.join(', ')}`, value: type }]);
  throw invalid(fieldIssues(parsed.error.issues));
}

/** A customer's new details: onto the contact, and into the context of their open conversations. */
async function updateCustomer(
  ports: GenericPorts,
  tenantId: string,
  integrationId: string,
  event: GenericEvent & { event_type: 'customer_updated' },
): Promise<{ contactId: string; affected: string[] }> {
  const { customer_email, customer_phone, customer_name, ...rest } = event.data;
  const at = ports.clock.now().toISOString();
  const profile = {
    integration_id: integrationId,
    customer_id: event.customer_id,
    ...rest,
    updated_at: event.timestamp ?? at,
  };
  const contact = await ports.contacts.updateFromIntegration(tenantId, {
    email: customer_email,
    phone: customer_phone,
    name: customer_name,
    externalIds: [{ channel: 'generic', platformUserId: `${integrationId}:${event.customer_id}` }],
    attributes: { [integrationId]: profile },
  });
  const affected: string[] = [];
  for (const conv of await ports.conversations.openConversationsOf(tenantId, contact.id)) {
    const customer = {
      ...(conv.context.customer as Record<string, unknown> | undefined),
      ...profile,
      ...(customer_email ? { email: customer_email } : {}),
    };
    await ports.upkeep.setContext(tenantId, conv.id, { ...conv.context, customer }, at);
    affected.push(conv.id);
  }
  return { contactId: contact.id, affected };
}

export async function genericHook(
  ports: GenericPorts,
  integrationId: string,
  hook: ChannelHook,
): Promise<GenericOutcome> {
  const tenantId =
    (await tenantNamedInPath(ports, integrationId, hook)) ?? (await tenantOfIntegration(ports, integrationId, hook));
  await ensureActive(ports.tenants, tenantId);
  await hook.admit?.(tenantId);
  const event = parseEvent(hook);
  const eventId = newId('evt');
  if (event.event_type === 'message_received') {
    const result = await receiveOne(ports, tenantId, genericMessage(event, integrationId, new Date(hook.receivedAt)));
    return {
      eventId,
      eventType: event.event_type,
      actions: result.duplicate ? [] : ['stored_message', ...(result.reply ? ['replied'] : [])],
      affectedConversations: [result.conversationId],
      contactId: result.contactId,
      messageId: result.messageId,
      conversationId: result.conversationId,
    };
  }
  const { contactId, affected } = await updateCustomer(ports, tenantId, integrationId, event);
  return {
    eventId,
    eventType: event.event_type,
    actions: ['updated_customer_profile', ...(affected.length ? ['refreshed_conversation_context'] : [])],
    affectedConversations: affected,
    contactId,
  };
}
