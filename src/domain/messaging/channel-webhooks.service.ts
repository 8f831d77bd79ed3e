import { header, type ChannelMessage, type Headers, type SignatureCheck } from '../../channels/channel.js';
import { genericEventSchema, genericMessage, GENERIC_EVENT_TYPES, verifyBearerToken } from '../../channels/generic.js';
import { messengerPageIds, parseMessenger, verifyMessengerSignature } from '../../channels/messenger.js';
import { parseSlack, slackRouting, verifySlackSignature } from '../../channels/slack.js';
import { parseTeams, verifyTeamsSignature } from '../../channels/teams.js';
import { parseTelegram, verifyTelegramSecret } from '../../channels/telegram.js';
import { parseWhatsApp, verifyMetaSignature, whatsappRecipients } from '../../channels/whatsapp.js';
import type { Clock } from '../../lib/clock.js';
import { safeEqual } from '../../lib/crypto.js';
import { newId } from '../../lib/ids.js';
import type { QuickReplyOption } from '../../providers/messaging/messaging.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { ContactsService } from '../contacts/contacts.service.js';
import type { ConversationInbox, InboundMessage, InboundResult } from '../conversations/inbound.js';
import { AppError, invalid, notFound } from '../errors.js';
import type { ChannelRoutes } from '../routing/channel-routes.service.js';
import {
  slackAppKey,
  slackTeamKey,
  whatsappAccountKey,
  whatsappPhoneKey,
  type RoutedChannel,
} from '../routing/route-keys.js';
import type { TenantsService } from '../tenants/index.js';
import { channelSettings, type ChannelSettings } from './channel-settings.js';
import type { MessagingDelivery } from './delivery.service.js';
import * as repo from './messaging.repo.js';

/**
 * Inbound messaging webhooks: find the tenant a platform request is for, check its signature on
 * the raw bytes with that tenant's secret, hand each message to the conversation core (which
 * stores it before anything else), then queue the reply through the channel delivery. Only then
 * does the surface answer 2xx.
 *
 * Tenant routing, one indexed lookup in `channel_routes`: WhatsApp by `metadata.phone_number_id`,
 * Messenger by Page id, Slack by `api_app_id` / `team_id`, Telegram by its secret token's
 * fingerprint; Teams carries nothing of ours, so the tenant is the one among those with Teams
 * whose token verifies the request. `?tenant_id=` narrows any channel to one tenant.
 */

export interface ChannelHook {
  rawBody: Buffer;
  body: unknown;
  headers: Headers;
  query: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** Called once the tenant is known and the signature checks out, before any work: the surface counts the request against the tenant's rate limit (and may refuse it). */
  admit?: (tenantId: string) => Promise<void>;
}

export interface ReceivedSummary {
  status: 'received';
  message_id: string | null;
  conversation_id: string | null;
  processing_time_ms: number;
  messages_received: number;
  duplicates: number;
  statuses_applied: number;
}

/** What the Slack request answers: the URL challenge, a plain acknowledgement, or (slash commands, button taps) the turn's inline reply. */
export type SlackAnswer =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'ack'; body: Record<string, unknown> }
  | { kind: 'empty' }
  | { kind: 'inline'; reply: InlineReply };

export interface InlineReply {
  /** The answers produced in time, to be rendered in the platform's response format. */
  answers: { text: string; quickReplies: QuickReplyOption[] }[];
  /** False when the turn outlived the platform's deadline and carries on in the background. */
  completed: boolean;
  duplicate: boolean;
}

export interface GenericResult {
  status: 'processed';
  event_id: string;
  event_type: string;
  actions_taken: string[];
  affected_conversations: string[];
  contact_id?: string;
  message_id?: string;
  conversation_id?: string;
}

export interface ChannelWebhooksService {
  whatsapp(hook: ChannelHook): Promise<ReceivedSummary>;
  messenger(hook: ChannelHook): Promise<ReceivedSummary>;
  slack(hook: ChannelHook): Promise<{ answer: SlackAnswer }>;
  teams(hook: ChannelHook): Promise<InlineReply>;
  telegram(hook: ChannelHook): Promise<ReceivedSummary>;
  generic(integrationId: string, hook: ChannelHook): Promise<GenericResult>;
  /** Meta-style subscription check: the challenge when mode and token match a tenant's; FORBIDDEN otherwise. */
  verify(channel: string, query: Record<string, unknown>): Promise<string>;
  /** The `channel.receive` job: a message whose webhook answered before its turn finished. */
  receiveLater(tenantId: string, message: Record<string, unknown>): Promise<unknown>;
}

/** Slack wants an answer within 3 s, Teams within 5 s: the turn gets this long before the request answers without it. */
export const SLACK_BUDGET_MS = 2_500;
export const TEAMS_BUDGET_MS = 4_500;

type Candidate = { tenantId: string; settings: ChannelSettings };

const one = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

function signatureError(check: SignatureCheck & { ok: false }, channel: string): AppError {
  const messages: Record<typeof check.reason, string> = {
    missing_signature: `Missing ${channel} signature header`,
    malformed_signature: `Malformed ${channel} signature header`,
    signature_mismatch: `${channel} signature verification failed`,
    stale_timestamp: `${channel} request timestamp is outside the 5-minute window`,
    no_secret_configured: `No ${channel} signing secret is configured for this tenant`,
  };
  return new AppError('INVALID_SIGNATURE', messages[check.reason], { details: { reason: check.reason } });
}

export function createChannelWebhooksService(deps: {
  db: Db;
  clock: Clock;
  queue: Queue;
  tenants: TenantsService;
  routes: Pick<ChannelRoutes, 'tenantsFor' | 'tenantsOn' | 'anyOn' | 'fingerprint'>;
  inbox: ConversationInbox;
  contacts: Pick<ContactsService, 'updateFromIntegration'>;
  delivery: MessagingDelivery;
}): ChannelWebhooksService {
  const { db, delivery } = deps;

  /** The tenant's open settings of `channel`, if it exists and has the channel enabled. */
  const settingsOf = async (tenantId: string, channel: string): Promise<Candidate | undefined> => {
    const config = await deps.tenants.getConfigWithSecrets(tenantId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    });
    const settings = config && channelSettings(config, channel);
    return settings ? { tenantId, settings } : undefined;
  };

  /** The tenants `route` finds (or the one `?tenant_id=` names), with `channel` enabled. */
  const candidates = async (
    channel: RoutedChannel,
    query: Record<string, unknown>,
    route: () => Promise<string[]>,
  ): Promise<Candidate[]> => {
    const only = one(query.tenant_id);
    const found: Candidate[] = [];
    for (const tenantId of only ? [only] : await route()) {
      const c = await settingsOf(tenantId, channel);
      if (c) found.push(c);
    }
    return found;
  };

  /** Every tenant with `channel` in its configuration: the Meta subscription check names no key of ours. */
  const configuredFor = async (channel: string, query: Record<string, unknown>): Promise<Candidate[]> => {
    const only = one(query.tenant_id);
    const found: Candidate[] = [];
    for (const row of await repo.listTenantConfigs(db)) {
      if (only && row.id !== only) continue;
      // The stored row holds sealed secrets, so only its plain settings are read here, leniently.
      const plain = fromJson<{ channels?: Record<string, ChannelSettings | undefined> }>(row.config, {}).channels?.[
        channel
      ];
      if (!plain || typeof plain !== 'object' || plain.enabled === false) continue;
      const c = await settingsOf(row.id, channel);
      if (c) found.push(c);
    }
    return found;
  };

  const ensureActive = async (tenantId: string) => {
    const status = await deps.tenants.statusOf(tenantId);
    if (status === 'missing') throw notFound('tenant', tenantId);
    if (status === 'suspended') throw new AppError('FORBIDDEN', `Tenant ${tenantId} is suspended`);
  };

  /** The first candidate whose secret verifies the request; the last failure when none does. */
  const authenticate = async (
    hook: ChannelHook,
    channel: string,
    list: Candidate[],
    check: (s: ChannelSettings) => SignatureCheck,
    missingKey: string,
  ): Promise<Candidate> => {
    if (list.length === 0) {
      throw new AppError('INVALID_SIGNATURE', `No tenant has ${channel} configured for this request (${missingKey})`, {
        details: { reason: 'unknown_recipient' },
      });
    }
    let failure: (SignatureCheck & { ok: false }) | undefined;
    for (const c of list) {
      const result = check(c.settings);
      if (result.ok) {
        await ensureActive(c.tenantId);
        await hook.admit?.(c.tenantId);
        return c;
      }
      // A missing or malformed header fails the same way for every tenant.
      if (
        result.reason === 'missing_signature' ||
        result.reason === 'malformed_signature' ||
        result.reason === 'stale_timestamp'
      )
        throw signatureError(result, channel);
      failure = result;
    }
    throw signatureError(failure!, channel);
  };

  const secrets = (...values: (string | undefined)[]) =>
    values.filter((v): v is string => typeof v === 'string' && v !== '');

  /** Hands a message to the core, then queues its reply (deliver is idempotent per reply, so a redelivered message heals a lost one). */
  const receiveOne = async (tenantId: string, message: ChannelMessage): Promise<InboundResult> => {
    const inbound: InboundMessage = {
      ...message,
      context: { ...message.context, ...(message.replyTo ? { reply_to: message.replyTo } : {}) },
    };
    const result = await deps.inbox.receive(tenantId, inbound);
    if (result.reply) {
      const reply = await repo.findReply(db, tenantId, result.messageId);
      if (reply) {
        await delivery.deliver(tenantId, {
          channel: message.channel,
          conversationId: reply.conversation_id,
          messageId: reply.id,
          to: message.platformUserId,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
          text: result.reply.text,
          quickReplies: result.reply.quickReplies,
          ...(inbound.context ? { context: inbound.context } : {}),
        });
      }
    }
    return result;
  };

  const summarise = (results: InboundResult[], statuses: number, receivedAt: number): ReceivedSummary => ({
    status: 'received',
    message_id: results[0]?.messageId ?? null,
    conversation_id: results[0]?.conversationId ?? null,
    processing_time_ms: Math.max(0, Date.now() - receivedAt),
    messages_received: results.filter((r) => !r.duplicate).length,
    duplicates: results.filter((r) => r.duplicate).length,
    statuses_applied: statuses,
  });

  /**
   * For platforms with a short deadline: a durable job is queued first (so the message survives
   * a crash after the early answer), then the turn runs here against the budget. Replies queued
   * for this sender meanwhile are held back so the request can answer with them itself.
   */
  const receiveWithin = async (
    tenantId: string,
    message: ChannelMessage,
    budgetMs: number,
    inline: boolean,
  ): Promise<InlineReply> => {
    await deps.queue.enqueue(
      'channel.receive',
      { tenantId, message: { ...message, receivedAt: message.receivedAt.toISOString() } },
      {
        tenantId,
        dedupeKey: `channel.receive:${tenantId}:${message.channel}:${message.externalMessageId}`,
        delayMs: budgetMs + 1_000,
      },
    );
    const window = inline
      ? delivery.openInline(tenantId, message.channel, message.platformUserId, budgetMs, message.context ?? {})
      : undefined;
    const drop = () => {
      if (window) delivery.dropInline(window);
    };
    const work = receiveOne(tenantId, message);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), budgetMs);
    });
    try {
      const result = await Promise.race([work, timeout]);
      if (!result) {
        // The turn goes on without us; the queued job repeats it (as a duplicate) should this process die first.
        work.then(drop, drop);
        return { answers: [], completed: false, duplicate: false };
      }
      return {
        answers: window ? await delivery.closeInline(tenantId, window) : [],
        completed: true,
        duplicate: result.duplicate,
      };
    } catch (err) {
      drop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async whatsapp(hook) {
      const recipients = whatsappRecipients(hook.body);
      if (recipients.length === 0)
        throw invalid(
          [{ field: 'entry[].changes[].value.metadata.phone_number_id', issue: 'required field missing' }],
          'Not a WhatsApp Cloud API webhook payload',
        );
      // Every phone number in the request must belong to a tenant whose app secret signed it, before anything is stored.
      const tenantOf = new Map<string, string>();
      for (const { phoneNumberId: id, businessAccountId: waba } of recipients) {
        const list = await candidates('whatsapp', hook.query, () =>
          deps.routes.tenantsFor('whatsapp', [
            whatsappPhoneKey(id),
            ...(waba !== undefined ? [whatsappAccountKey(waba)] : []),
          ]),
        );
        const c = await authenticate(
          hook,
          'WhatsApp',
          list,
          (s) => verifyMetaSignature(hook.rawBody, hook.headers, secrets(s.app_secret)),
          `phone_number_id ${id}`,
        );
        tenantOf.set(id, c.tenantId);
      }
      const results: InboundResult[] = [];
      let statuses = 0;
      for (const batch of parseWhatsApp(hook.body, new Date(hook.receivedAt))) {
        const tenantId = tenantOf.get(batch.phoneNumberId)!;
        for (const m of batch.messages) results.push(await receiveOne(tenantId, m));
        statuses += await delivery.applyStatuses(tenantId, 'whatsapp', batch.statuses);
      }
      return summarise(results, statuses, hook.receivedAt);
    },

    async messenger(hook) {
      const pages = messengerPageIds(hook.body);
      if (pages.length === 0)
        throw invalid([{ field: 'entry[].id', issue: 'required field missing' }], 'Not a Messenger webhook payload');
      const tenantOf = new Map<string, string>();
      for (const page of pages) {
        const list = await candidates('messenger', hook.query, () => deps.routes.tenantsFor('messenger', [page]));
        const c = await authenticate(
          hook,
          'Messenger',
          list,
          (s) => verifyMessengerSignature(hook.rawBody, hook.headers, secrets(s.app_secret)),
          `page ${page}`,
        );
        tenantOf.set(page, c.tenantId);
      }
      const results: InboundResult[] = [];
      let statuses = 0;
      for (const batch of parseMessenger(hook.body, new Date(hook.receivedAt))) {
        const tenantId = tenantOf.get(batch.pageId)!;
        for (const m of batch.messages) results.push(await receiveOne(tenantId, m));
        for (const w of batch.watermarks)
          statuses += await delivery.applyWatermark(tenantId, 'messenger', w.psid, w.status, w.watermark);
      }
      return summarise(results, statuses, hook.receivedAt);
    },

    async slack(hook) {
      const { teamId, appId } = slackRouting(hook.body);
      const keys = [
        ...(appId !== undefined ? [slackAppKey(appId)] : []),
        ...(teamId !== undefined ? [slackTeamKey(teamId)] : []),
      ];
      const list = await candidates('slack', hook.query, () =>
        keys.length > 0 ? deps.routes.tenantsFor('slack', keys) : deps.routes.tenantsOn('slack'),
      );
      const c = await authenticate(
        hook,
        'Slack',
        list,
        (s) => verifySlackSignature(hook.rawBody, hook.headers, secrets(s.signing_secret), deps.clock.now().getTime()),
        `team ${teamId ?? '?'}, app ${appId ?? '?'}`,
      );
      const request = parseSlack(hook.body, new Date(hook.receivedAt));
      switch (request.kind) {
        case 'url_verification':
          return { answer: { kind: 'challenge', challenge: request.challenge } };
        case 'ignored':
          return { answer: { kind: 'ack', body: { ok: true, ignored: request.reason } } };
        case 'message': {
          // Events API replies never ride on the HTTP answer: they go out by chat.postMessage.
          const reply = await receiveWithin(c.tenantId, request.message, SLACK_BUDGET_MS, false);
          return { answer: { kind: 'ack', body: { ok: true, duplicate: reply.duplicate } } };
        }
        case 'slash_command': {
          const reply = await receiveWithin(c.tenantId, request.message, SLACK_BUDGET_MS, true);
          return { answer: { kind: 'inline', reply } };
        }
        case 'interaction':
          // Slack ignores the HTTP body of a block_actions answer: the reply goes to the tap's response_url.
          await receiveWithin(c.tenantId, request.message, SLACK_BUDGET_MS, false);
          return { answer: { kind: 'empty' } };
      }
    },

    async teams(hook) {
      const list = await candidates('teams', hook.query, () => deps.routes.tenantsOn('teams'));
      const c = await authenticate(
        hook,
        'Teams',
        list,
        (s) => verifyTeamsSignature(hook.rawBody, hook.headers, secrets(s.security_token)),
        'no routing key: the security token decides',
      );
      const message = parseTeams(hook.body, new Date(hook.receivedAt));
      if (!message)
        throw invalid(
          [{ field: 'type', issue: 'must be a message activity with an id and a sender' }],
          'Not a Teams message activity',
        );
      return receiveWithin(c.tenantId, message, TEAMS_BUDGET_MS, true);
    },

    async telegram(hook) {
      const given = header(hook.headers, 'x-telegram-bot-api-secret-token');
      const list = await candidates('telegram', hook.query, () =>
        given ? deps.routes.tenantsFor('telegram', [deps.routes.fingerprint(given)]) : Promise.resolve([]),
      );
      // No tenant holds this token: refused as a wrong (or missing) token while any tenant has Telegram, as when every tenant's token was tried.
      if (list.length === 0 && !one(hook.query.tenant_id) && (await deps.routes.anyOn('telegram'))) {
        throw signatureError({ ok: false, reason: given ? 'signature_mismatch' : 'missing_signature' }, 'Telegram');
      }
      const c = await authenticate(
        hook,
        'Telegram',
        list,
        (s) => verifyTelegramSecret(hook.headers, secrets(s.secret_token)),
        'no routing key: the secret token decides',
      );
      const message = parseTelegram(hook.body, new Date(hook.receivedAt));
      // Updates we do not act on (edited channel posts, member changes) are acknowledged so Telegram stops resending them.
      const results = message ? [await receiveOne(c.tenantId, message)] : [];
      return summarise(results, 0, hook.receivedAt);
    },

    async generic(integrationId, hook) {
      const only = one(hook.query.tenant_id);
      let tenantId: string | undefined;
      let sawOne = false;
      for (const row of await repo.listTenantConfigs(db)) {
        if (only && row.id !== only) continue;
        const stored = fromJson<{ integrations?: Record<string, unknown> }>(row.config, {}).integrations?.[
          integrationId
        ];
        if (!stored) continue;
        sawOne = true;
        const integration = (await deps.tenants.getConfigWithSecrets(row.id)).integrations?.[integrationId] as
          { webhook_token?: unknown; enabled?: unknown } | undefined;
        if (!integration || integration.enabled === false) continue;
        const check = verifyBearerToken(
          hook.headers,
          typeof integration.webhook_token === 'string' ? [integration.webhook_token] : [],
        );
        if (check.ok) {
          tenantId = row.id;
          break;
        }
        if (check.reason === 'missing_signature' || check.reason === 'malformed_signature')
          throw new AppError('UNAUTHENTICATED', 'Missing or malformed Authorization: Bearer <webhook token>');
      }
      if (!tenantId) {
        throw new AppError(
          'UNAUTHENTICATED',
          sawOne
            ? 'Invalid webhook token for this integration'
            : `No integration '${integrationId}' with a webhook token is configured`,
        );
      }
      await ensureActive(tenantId);
      await hook.admit?.(tenantId);
      const parsed = genericEventSchema.safeParse(hook.body);
      if (!parsed.success) {
        const type = (hook.body as { event_type?: unknown } | undefined)?.event_type;
        if (typeof type === 'string' && !(GENERIC_EVENT_TYPES as readonly string[]).includes(type)) {
          throw invalid([
            { field: 'event_type', issue: `must be one of ${GENERIC_EVENT_TYPES.join(', ')}`, value: type },
          ]);
        }
        throw invalid(
          parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', issue: i.message })),
        );
      }
      const event = parsed.data;
      const eventId = newId('evt');
      if (event.event_type === 'message_received') {
        const result = await receiveOne(tenantId, genericMessage(event, integrationId, new Date(hook.receivedAt)));
        return {
          status: 'processed',
          event_id: eventId,
          event_type: event.event_type,
          actions_taken: result.duplicate ? [] : ['stored_message', ...(result.reply ? ['replied'] : [])],
          affected_conversations: [result.conversationId],
          contact_id: result.contactId,
          message_id: result.messageId,
          conversation_id: result.conversationId,
        };
      }
      const { customer_email, customer_phone, customer_name, ...rest } = event.data;
      const at = deps.clock.now().toISOString();
      const profile = {
        integration_id: integrationId,
        customer_id: event.customer_id,
        ...rest,
        updated_at: event.timestamp ?? at,
      };
      const contact = await deps.contacts.updateFromIntegration(tenantId, {
        email: customer_email,
        phone: customer_phone,
        name: customer_name,
        externalIds: [{ channel: 'generic', platformUserId: `${integrationId}:${event.customer_id}` }],
        attributes: { [integrationId]: profile },
      });
      const affected: string[] = [];
      for (const conv of await repo.openConversationsOf(db, tenantId, contact.id)) {
        const context = fromJson<Record<string, unknown>>(conv.context, {});
        const customer = {
          ...(context.customer as Record<string, unknown> | undefined),
          ...profile,
          ...(customer_email ? { email: customer_email } : {}),
        };
        await repo.setConversationContext(db, tenantId, conv.id, toJson({ ...context, customer }), at);
        affected.push(conv.id);
      }
      return {
        status: 'processed',
        event_id: eventId,
        event_type: event.event_type,
        actions_taken: ['updated_customer_profile', ...(affected.length ? ['refreshed_conversation_context'] : [])],
        affected_conversations: affected,
        contact_id: contact.id,
      };
    },

    async verify(channel, query) {
      const mode = one(query['hub.mode']);
      const token = one(query['hub.verify_token']);
      const challenge = one(query['hub.challenge']);
      if (mode !== 'subscribe' || !token || challenge === undefined)
        throw new AppError(
          'FORBIDDEN',
          'Webhook verification failed: hub.mode must be subscribe, with hub.verify_token and hub.challenge',
        );
      const list = await configuredFor(channel, query);
      for (const c of list) {
        if (c.settings.verify_token && safeEqual(c.settings.verify_token, token)) return challenge;
      }
      throw new AppError('FORBIDDEN', 'Webhook verification failed: the verify token matches no tenant');
    },

    async receiveLater(tenantId, raw) {
      const message = { ...(raw as unknown as ChannelMessage), receivedAt: new Date(String(raw.receivedAt)) };
      const result = await receiveOne(tenantId, message);
      return { duplicate: result.duplicate, message_id: result.messageId };
    },
  };
}
