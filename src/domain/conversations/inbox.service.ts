import type { AnalysisResult } from '../../engine/analysis.schema.js';
import { initialState, type ConversationState, type DialogAction, type DialogConfig, type DialogEngine, type Phraser, type QuickReply } from '../../engine/dialog/dialog.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { TenantAiService } from '../ai/tenant-ai.js';
import type { ContactsService } from '../contacts/contacts.service.js';
import { AppError, notFound } from '../errors.js';
import type { LeadsService } from '../leads/leads.service.js';
import type { LiveBus } from '../live/live-bus.js';
import type { SessionsService } from '../sessions/sessions.service.js';
import { METRICS } from '../usage/usage-report.js';
import type { UsageService } from '../usage/usage.service.js';
import * as appointments from './appointments.repo.js';
import * as conversations from './conversations.repo.js';
import type { ConversationInbox, InboundMedia, InboundMessage, InboundResult } from './inbound.js';
import * as messages from './messages.repo.js';
import { toMessageRecord, type MessageRecord, type ReplyMetadata } from './messages.view.js';
import type { TransferPriority, TransfersService } from './transfers.js';
import type { VoiceNoteTranscriber, VoiceNoteTranscript } from './voice-notes.js';

/** What the chat API adds to a platform message. */
export interface ChatOptions {
  /** The client's conversation: one of the tenant's, or a free id to start a new one under. */
  conversationId?: string | undefined;
  sessionId?: string | undefined;
  userId?: string | undefined;
  /** `text`, `image`, `audio`, … as the client declared it. */
  contentType?: string | undefined;
  language?: string | undefined;
}

/** One customer message and what came of it. */
export interface Turn {
  /** The message id was seen before: this is the first result, nothing ran again. */
  duplicate: boolean;
  conversationId: string;
  contactId: string;
  inbound: MessageRecord;
  /** Absent while a human has the conversation (or the message failed). */
  reply: MessageRecord | null;
  /** The conversation's dialog state after this message. */
  state: ConversationState;
  /** The conversation's status now (`active`, `waiting_agent`, `with_agent`, `closed`). */
  conversationStatus: string;
}

export interface InboxService extends ConversationInbox {
  /** The chat API's turn: stores, answers, and throws UPSTREAM_AI (the message kept as `failed`) when the turn fails. */
  chat(tenantId: string, message: InboundMessage, options: ChatOptions): Promise<Turn>;
  /** Runs a failed message's turn again; CONFLICT when the message did not fail. */
  retry(tenantId: string, messageId: string): Promise<Turn>;
}

export interface InboxDeps {
  db: Db;
  clock: Clock;
  ai: TenantAiService;
  dialog: DialogEngine;
  /** The tenant's dialog configuration, read fresh each turn (a configuration change is live at once). */
  dialogConfig: (tenantId: string) => Promise<DialogConfig>;
  /** Rewrites a drafted reply in the tenant's voice, when the tenant has one configured. */
  phraser?: (tenantId: string) => Promise<Phraser | undefined>;
  contacts: ContactsService;
  sessions: SessionsService;
  leads: LeadsService;
  live: LiveBus;
  usage: UsageService;
  /** Read at handoff time: the transfers service is wired after this one. */
  transfers: () => TransfersService;
  /** Voice messages to text with the tenant's speech-to-text chain. */
  transcribe?: VoiceNoteTranscriber;
}

/** Media without words gets an acknowledgement instead of a dialog turn (there is nothing to understand yet). */
const ACKNOWLEDGEMENTS: Record<InboundMedia['kind'], string> = {
  image: "Thanks, I've received your photo. Could you tell me a little more about what you need?",
  audio: "Thanks, I've received your voice message. Could you type a short summary so I can help right away?",
  video: "Thanks, I've received your video. Could you tell me a little more about what you need?",
  file: "Thanks, I've received your file. Could you tell me a little more about what you need?",
  location: "Thanks for sharing your location. How can I help?",
};

const PRIORITY_OF: Record<string, TransferPriority> = { negative_sentiment: 'high', escalation_trigger: 'high', requested: 'normal', low_confidence: 'normal' };

/** A concurrent delivery stored the same platform message first. */
class AlreadyStored extends Error {}

function failure(message: MessageRecord): AppError {
  return new AppError('UPSTREAM_AI', 'The message was stored but its reply could not be produced; retry it with POST /api/v2/chat/message/{id}/retry', {
    details: { message_id: message.id, conversation_id: message.conversationId, retryable: true, error: message.error },
  });
}

/**
 * The conversation core every channel calls: stores the customer's message first (unique on
 * tenant, channel and platform message id, so a repeat is answered from the first result),
 * then — unless a human has the conversation — analyses it with the tenant's engine, runs one
 * dialog turn, stores the reply and carries out the dialog's actions (lead, appointment
 * request, handoff). Every stored message is published on the live bus.
 */
export function createInbox(deps: InboxDeps): InboxService {
  const { db } = deps;
  const iso = () => deps.clock.now().toISOString();

  const publish = (tenantId: string, m: MessageRecord) =>
    deps.live.publish({
      type: 'message.created',
      tenantId,
      conversationId: m.conversationId,
      at: m.createdAt,
      data: { message_id: m.id, direction: m.direction, sender: m.sender, channel: m.channel, content_type: m.contentType, text: m.text, media: m.media, quick_replies: m.quickReplies, created_at: m.createdAt },
    });

  const loadConversation = async (tenantId: string, id: string) => {
    const row = await conversations.findById(db, tenantId, id);
    if (!row) throw notFound('conversation', id);
    return row;
  };

  /** The first result of a message already stored. */
  const turnOf = async (tenantId: string, row: messages.MessageRow, duplicate: boolean): Promise<Turn> => {
    const conversation = await loadConversation(tenantId, row.conversation_id);
    const replyRow = await messages.findReply(db, tenantId, row.id);
    const reply = replyRow ? toMessageRecord(replyRow) : null;
    const state = reply ? (reply.metadata as unknown as ReplyMetadata).state : fromJson<ConversationState>(conversation.state, initialState());
    return { duplicate, conversationId: conversation.id, contactId: conversation.contact_id ?? '', inbound: toMessageRecord(row), reply, state, conversationStatus: conversation.status };
  };

  /** The conversation a message goes to: the client's (existing or new under its id), else the contact's open one on the channel, else a new one. */
  const conversationFor = async (trx: Db, tenantId: string, message: InboundMessage, contactId: string, options: ChatOptions, at: string): Promise<{ row: conversations.ConversationRow; created: boolean }> => {
    const fresh = (id: string): Omit<conversations.ConversationRow, 'tenant_id'> => ({
      id,
      contact_id: contactId,
      session_id: options.sessionId ?? null,
      user_id: options.userId ?? message.platformUserId,
      channel: message.channel,
      status: 'active',
      bot_paused: 0,
      state: toJson(initialState()),
      context: toJson(message.context ?? {}),
      assigned_agent_id: null,
      department: null,
      priority: null,
      current_intent: null,
      sentiment: null,
      lead_id: null,
      summary: null,
      resolution: null,
      message_count: 0,
      last_inbound_at: null,
      last_message_at: null,
      created_at: at,
      updated_at: at,
      closed_at: null,
    });
    if (options.conversationId) {
      const existing = await conversations.findById(trx, tenantId, options.conversationId);
      if (existing) {
        if (existing.status === 'closed') throw new AppError('CONFLICT', `Conversation '${existing.id}' is closed; reopen it or start a new one`, { details: { conversation_id: existing.id, status: existing.status } });
        if (existing.channel !== message.channel) throw new AppError('CONFLICT', `Conversation '${existing.id}' is on channel '${existing.channel}', not '${message.channel}'`, { details: { conversation_id: existing.id, channel: existing.channel } });
        return { row: existing, created: false };
      }
      const row = fresh(options.conversationId);
      // Ids are unique across tenants; one taken by another tenant is reported as unknown here.
      if (!(await conversations.insert(trx, tenantId, row))) throw notFound('conversation', options.conversationId);
      return { row: { ...row, tenant_id: tenantId }, created: true };
    }
    const open = await conversations.findOpenForContact(trx, tenantId, contactId, message.channel);
    if (open) return { row: open, created: false };
    const row = fresh(newId('conv'));
    await conversations.insert(trx, tenantId, row);
    return { row: { ...row, tenant_id: tenantId }, created: true };
  };

  /** Stores the message (before anything else happens); a repeat of a stored one returns it with `duplicate`. */
  const store = async (tenantId: string, message: InboundMessage, options: ChatOptions): Promise<{ duplicate: boolean; row: messages.MessageRow }> => {
    const seen = await messages.findByExternal(db, tenantId, message.channel, message.externalMessageId);
    if (seen) return { duplicate: true, row: seen };
    if (options.sessionId) await deps.sessions.requireActive(tenantId, options.sessionId);
    const contact = await deps.contacts.resolve(tenantId, { channel: message.channel, platformUserId: message.platformUserId }, { name: message.senderName, phone: message.phone, email: message.email });
    const at = message.receivedAt.toISOString();
    const media = message.media ?? [];
    const stored = await db
      .transaction()
      .execute(async (trx) => {
        const { row: conversation, created } = await conversationFor(trx, tenantId, message, contact.id, options, at);
        const row: Omit<messages.MessageRow, 'tenant_id'> = {
          id: newId('msg'),
          conversation_id: conversation.id,
          channel: message.channel,
          external_id: message.externalMessageId,
          direction: 'inbound',
          sender: 'customer',
          content_type: options.contentType ?? (message.text ? 'text' : (media[0]?.kind ?? 'text')),
          text: message.text,
          media: media.length > 0 ? toJson(media) : null,
          quick_replies: null,
          intent: null,
          confidence: null,
          sentiment: null,
          status: 'received',
          error: null,
          // What a retry needs to run the turn again exactly as it would have run now.
          metadata: toJson({
            platform_user_id: message.platformUserId,
            ...(message.payload ? { payload: message.payload } : {}),
            ...(message.replyTo ? { reply_to: message.replyTo } : {}),
            ...(options.language ? { language: options.language } : {}),
            ...(message.context ? { context: message.context } : {}),
          }),
          reply_to_id: null,
          created_at: at,
        };
        // Rolls back a conversation this call may have just created for it.
        if (!(await messages.insert(trx, tenantId, row))) throw new AlreadyStored();
        await conversations.recordMessage(trx, tenantId, conversation.id, at, true);
        if (options.sessionId && !conversation.session_id) await conversations.update(trx, tenantId, conversation.id, { session_id: options.sessionId });
        return { row: { ...row, tenant_id: tenantId }, created };
      })
      .catch((err: unknown) => {
        if (err instanceof AlreadyStored) return undefined;
        throw err;
      });
    if (!stored) {
      // A concurrent delivery of the same platform message stored it first.
      const first = await messages.findByExternal(db, tenantId, message.channel, message.externalMessageId);
      if (!first) throw new Error('message insert conflicted but the first copy is missing');
      return { duplicate: true, row: first };
    }
    if (stored.created) deps.usage.add(tenantId, METRICS.conversations);
    deps.usage.add(tenantId, METRICS.messagesInbound);
    deps.usage.add(tenantId, METRICS.messagesByChannel(message.channel));
    if (options.sessionId) await deps.sessions.touch(tenantId, options.sessionId, contact.id);
    await publish(tenantId, toMessageRecord(stored.row));
    return { duplicate: false, row: stored.row };
  };

  /** Scores the lead on everything the customer said and links it to the conversation. */
  const createLead = async (tenantId: string, conversation: conversations.ConversationRow, fields: Partial<Record<string, string>>, intent: string | null): Promise<string> => {
    const contact = conversation.contact_id ? await deps.contacts.get(tenantId, conversation.contact_id) : undefined;
    const said = (await messages.listInboundTexts(db, tenantId, conversation.id)).join('\n');
    const email = fields.email ?? contact?.email ?? undefined;
    const phone = fields.phone ?? contact?.phone ?? undefined;
    const name = fields.name ?? contact?.name ?? undefined;
    const { engine, ctx } = await deps.ai.forTenant(tenantId);
    const started = performance.now();
    const analysis = await engine.analyze({ kind: 'lead', text: said, email, phone, name, source: 'chat', fields: { ...fields, channel: conversation.channel, ...(intent ? { intent } : {}) } }, ctx);
    const stored = await deps.leads.recordAnalyzed(
      tenantId,
      { email, phone, name, message: said, source: 'chat', metadata: { channel: conversation.channel, conversation_id: conversation.id, contact_id: conversation.contact_id, collected: fields } },
      analysis,
      Math.round(performance.now() - started),
    );
    await conversations.update(db, tenantId, conversation.id, { lead_id: stored.leadId, updated_at: iso() });
    return stored.leadId;
  };

  /** Carries out the dialog's actions in order; returns what was created and what the customer should be told on a handoff. */
  const carryOut = async (tenantId: string, conversation: conversations.ConversationRow, actions: DialogAction[]) => {
    const done: { leadId?: string; appointmentRequestId?: string; transferId?: string; customerMessage?: string } = {};
    let leadId = conversation.lead_id ?? undefined;
    for (const action of actions) {
      switch (action.type) {
        case 'create_lead':
          leadId = await createLead(tenantId, conversation, action.fields, action.intent);
          done.leadId = leadId;
          break;
        case 'request_appointment': {
          leadId ??= await createLead(tenantId, conversation, action.fields, 'book_appointment');
          const at = iso();
          const id = newId('appt');
          await appointments.insert(db, tenantId, { id, conversation_id: conversation.id, contact_id: conversation.contact_id, lead_id: leadId, preferred_time: action.preferredTime, fields: toJson(action.fields), status: 'requested', created_at: at, updated_at: at });
          done.leadId = leadId;
          done.appointmentRequestId = id;
          break;
        }
        case 'handoff': {
          // Pauses the bot on the conversation: from here it is silent until handed back.
          const result = await deps.transfers().open(tenantId, { conversationId: conversation.id, reason: action.briefing.reason, priority: PRIORITY_OF[action.briefing.reason] ?? 'normal', briefing: action.briefing });
          deps.usage.add(tenantId, METRICS.conversationsEscalated);
          done.transferId = result.transferId;
          done.customerMessage = result.customerMessage;
          break;
        }
      }
    }
    return done;
  };

  /** One dialog turn for a stored inbound message. */
  const runTurn = async (tenantId: string, inboundRow: messages.MessageRow): Promise<Turn> => {
    const started = performance.now();
    let conversation = await loadConversation(tenantId, inboundRow.conversation_id);
    const before = fromJson<ConversationState>(conversation.state, initialState());
    if (conversation.bot_paused === 1) {
      // A human has the conversation: stored and published, never answered by the bot.
      return { duplicate: false, conversationId: conversation.id, contactId: conversation.contact_id ?? '', inbound: toMessageRecord(inboundRow), reply: null, state: before, conversationStatus: conversation.status };
    }
    const inbound = toMessageRecord(inboundRow);
    const payload = typeof inbound.metadata.payload === 'string' ? inbound.metadata.payload : undefined;
    let text = inbound.text.trim() || payload || '';
    const audio = inbound.media.find((m) => m.kind === 'audio');
    let transcript: VoiceNoteTranscript | null = null;
    let transcriptionError: string | undefined;
    if (!text && audio && deps.transcribe) {
      try {
        transcript = await deps.transcribe(tenantId, audio);
        text = transcript?.text ?? '';
      } catch (err) {
        // An unreadable voice note is acknowledged like any media; the reason stays on the message.
        transcriptionError = err instanceof Error ? err.message : String(err);
      }
    }

    let replyText: string;
    let quickReplies: QuickReply[] = [];
    let state: ConversationState = before;
    let analysis: AnalysisResult | undefined;
    let intent: { name: string | null; confidence: number } = { name: null, confidence: 0 };
    let done: Awaited<ReturnType<typeof carryOut>> = {};
    let actions: string[] = [];
    if (!text && inbound.media.length > 0) {
      replyText = ACKNOWLEDGEMENTS[inbound.media[0]!.kind];
      state = { ...before, entities: { ...before.entities, evidence_provided: true } };
    } else {
      const { engine, ctx } = await deps.ai.forTenant(tenantId);
      const contact = conversation.contact_id ? await deps.contacts.get(tenantId, conversation.contact_id) : undefined;
      analysis = await engine.analyze({ kind: 'message', text, source: conversation.channel, ...(contact?.email ? { email: contact.email } : {}), ...(contact?.phone ? { phone: contact.phone } : {}), ...(contact?.name ? { name: contact.name } : {}) }, ctx);
      const cfg = await deps.dialogConfig(tenantId);
      const phrase = deps.phraser ? await deps.phraser(tenantId) : undefined;
      const turn = await deps.dialog.turn(cfg, { text, ...(payload ? { payload } : {}), state: before, analysis, now: deps.clock.now() }, phrase);
      if (contact) {
        // A phone or e-mail the customer gave may be another contact's: learn merges them into one person.
        const got = turn.state.collected;
        await deps.contacts.learn(tenantId, contact.id, { phone: got.phone ?? analysis.entities.phones[0], email: got.email ?? analysis.entities.emails[0], name: got.name ?? analysis.entities.person_name ?? undefined });
        conversation = await loadConversation(tenantId, conversation.id);
      }
      state = inbound.media.length > 0 ? { ...turn.state, entities: { ...turn.state.entities, evidence_provided: true } } : turn.state;
      intent = turn.intent;
      quickReplies = turn.quickReplies;
      actions = turn.actions.map((a) => a.type);
      done = await carryOut(tenantId, conversation, turn.actions);
      replyText = done.customerMessage ?? turn.reply;
    }

    const at = iso();
    const meta: ReplyMetadata = {
      model_used: analysis?.usage.model ?? null,
      provider: analysis?.usage.provider ?? null,
      processing_time_ms: Math.round(performance.now() - started),
      confidence_score: analysis ? Math.round(intent.confidence * 1000) / 1000 : null,
      state,
      actions,
      ...(done.leadId ? { lead_id: done.leadId } : {}),
      ...(done.appointmentRequestId ? { appointment_request_id: done.appointmentRequestId } : {}),
      ...(done.transferId ? { transfer_id: done.transferId } : {}),
    };
    const replyRow: messages.MessageRow = {
      id: newId('msg'),
      tenant_id: tenantId,
      conversation_id: conversation.id,
      channel: conversation.channel,
      external_id: null,
      direction: 'outbound',
      sender: 'bot',
      content_type: 'text',
      text: replyText,
      media: null,
      quick_replies: toJson(quickReplies),
      intent: intent.name,
      confidence: analysis ? intent.confidence : null,
      sentiment: null,
      // The web widget gets the reply in the HTTP answer; other channels hand it to their delivery, which moves it on.
      status: conversation.channel === 'web' ? 'sent' : 'processed',
      error: null,
      metadata: toJson(meta),
      reply_to_id: inbound.id,
      created_at: at,
    };
    await messages.insert(db, tenantId, replyRow);
    const inboundMeta = {
      ...inbound.metadata,
      ...(transcript ? { transcript: { provider: transcript.provider, model: transcript.model, confidence: transcript.confidence } } : {}),
      ...(transcriptionError ? { transcription_error: transcriptionError } : {}),
    };
    await messages.update(db, tenantId, inbound.id, {
      status: 'processed',
      error: null,
      intent: intent.name,
      confidence: analysis ? intent.confidence : null,
      sentiment: analysis?.sentiment ?? null,
      metadata: toJson(inboundMeta),
      // What the customer said in a voice note is their message, for the history and the lead's score.
      ...(transcript?.text ? { text: transcript.text } : {}),
    });
    await conversations.update(db, tenantId, conversation.id, {
      state: toJson(state),
      current_intent: intent.name ?? conversation.current_intent,
      ...(analysis ? { sentiment: analysis.sentiment } : {}),
      updated_at: at,
    });
    await conversations.recordMessage(db, tenantId, conversation.id, at, false);
    deps.usage.add(tenantId, METRICS.messagesOutbound);
    const reply = toMessageRecord(replyRow);
    await publish(tenantId, reply);
    const after = await loadConversation(tenantId, conversation.id);
    return {
      duplicate: false,
      conversationId: conversation.id,
      contactId: after.contact_id ?? '',
      inbound: { ...inbound, text: transcript?.text || inbound.text, metadata: inboundMeta, status: 'processed', error: null, intent: intent.name, confidence: replyRow.confidence, sentiment: analysis?.sentiment ?? null },
      reply,
      state,
      conversationStatus: after.status,
    };
  };

  /** Runs the turn; a failure leaves the message `failed` with the reason, ready for a retry. */
  const attempt = async (tenantId: string, row: messages.MessageRow): Promise<{ turn: Turn } | { failed: MessageRecord }> => {
    try {
      return { turn: await runTurn(tenantId, row) };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      await messages.update(db, tenantId, row.id, { status: 'failed', error: reason.slice(0, 1000) });
      return { failed: { ...toMessageRecord(row), status: 'failed', error: reason.slice(0, 1000) } };
    }
  };

  return {
    async receive(tenantId, message): Promise<InboundResult> {
      const { duplicate, row } = await store(tenantId, message, {});
      const turn = duplicate ? await turnOf(tenantId, row, true) : await attempt(tenantId, row).then((r) => ('turn' in r ? r.turn : turnOf(tenantId, row, false)));
      return {
        duplicate,
        conversationId: turn.conversationId,
        messageId: turn.inbound.id,
        contactId: turn.contactId,
        ...(turn.reply ? { reply: { text: turn.reply.text, quickReplies: turn.reply.quickReplies } } : {}),
      };
    },

    async chat(tenantId, message, options) {
      const { duplicate, row } = await store(tenantId, message, options);
      if (duplicate) {
        if (row.status === 'failed') throw failure(toMessageRecord(row));
        return turnOf(tenantId, row, true);
      }
      const result = await attempt(tenantId, row);
      if ('failed' in result) throw failure(result.failed);
      return result.turn;
    },

    async retry(tenantId, messageId) {
      const row = await messages.findByAnyId(db, tenantId, messageId);
      if (!row) throw notFound('message', messageId);
      if (row.direction !== 'inbound' || row.status !== 'failed' || !(await messages.claimFailed(db, tenantId, row.id))) {
        throw new AppError('CONFLICT', `Message '${messageId}' did not fail, so there is nothing to retry`, { details: { message_id: row.id, status: row.status, direction: row.direction } });
      }
      const result = await attempt(tenantId, row);
      if ('failed' in result) throw failure(result.failed);
      return result.turn;
    },
  };
}
