import type { AnalysisResult } from '../../engine/analysis.schema.js';
import {
  initialState,
  type ConversationState,
  type DialogAction,
  type DialogConfig,
  type DialogEngine,
  type DialogTurn,
  type Phraser,
} from '../../engine/dialog/dialog.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { TenantAiService } from '../ai/index.js';
import { normaliseEmail, normalisePhone, type Contact, type ContactsService } from '../contacts/contacts.service.js';
import type { InboundMedia } from './inbound.js';
import * as messages from './messages.repo.js';
import type { ReplyMetadata } from './messages.view.js';
import type { HandoffService } from './transfers.service.js';
import type { TransferPriority } from './transfers.js';
import type { Received, TurnPlan, TurnStep } from './turn-types.js';
import type { VoiceNoteTranscriber, VoiceNoteTranscript } from './voice-notes.js';

export interface TurnDeps {
  /** Read only: deciding a turn writes nothing. */
  db: Db;
  clock: Clock;
  ai: TenantAiService;
  dialog: DialogEngine;
  /** The tenant's dialog configuration, read fresh each turn (a configuration change is live at once). */
  dialogConfig: (tenantId: string) => Promise<DialogConfig>;
  /** Rewrites a drafted reply in the tenant's voice, when the tenant has one configured. */
  phraser?: (tenantId: string) => Promise<Phraser | undefined>;
  contacts: ContactsService;
  /** Read at handoff time: the transfers service is wired after the inbox. */
  transfers: () => Pick<HandoffService, 'planOpen'>;
  /** Voice messages to text with the tenant's speech-to-text chain. */
  transcribe?: VoiceNoteTranscriber | undefined;
}

/** Media without words gets an acknowledgement instead of a dialog turn (there is nothing to understand yet). */
const ACKNOWLEDGEMENTS: Record<InboundMedia['kind'], string> = {
  image: "Thanks, I've received your photo. Could you tell me a little more about what you need?",
  audio: "Thanks, I've received your voice message. Could you type a short summary so I can help right away?",
  video: "Thanks, I've received your video. Could you tell me a little more about what you need?",
  file: "Thanks, I've received your file. Could you tell me a little more about what you need?",
  location: 'Thanks for sharing your location. How can I help?',
};

const PRIORITY_OF: Record<string, TransferPriority> = {
  negative_sentiment: 'high',
  escalation_trigger: 'high',
  requested: 'normal',
  low_confidence: 'normal',
};

type Facts = NonNullable<TurnPlan['learn']>['facts'];

/** What the customer said: the text, else the tapped payload, else a voice note's transcript. */
interface Heard {
  text: string;
  payload: string | undefined;
  transcript: VoiceNoteTranscript | null;
  transcriptionError: string | undefined;
}

/** What the engine and the dialog made of a message with words. */
interface Understood {
  analysis: AnalysisResult;
  dialog: DialogTurn;
  /** The sender's contact as it will be once the turn's facts are learned. */
  contact: Pick<Contact, 'email' | 'phone' | 'name'> | undefined;
  learn: TurnPlan['learn'];
}

/** The contact's phone, e-mail and name once `facts` are learned (learning fills only what is missing). */
function withFacts(contact: Contact, facts: Facts): Pick<Contact, 'email' | 'phone' | 'name'> {
  return {
    email: contact.email ?? normaliseEmail(facts.email) ?? null,
    phone: contact.phone ?? normalisePhone(facts.phone) ?? null,
    name: contact.name ?? (facts.name?.trim().slice(0, 200) || null),
  };
}

/** A message that failed its turn: stored with the reason, ready for a retry. */
export function failedPlan(received: Received, reason: string): TurnPlan {
  return {
    inbound: { ...received.inbound, status: 'failed', error: reason.slice(0, 1000) },
    reply: null,
    state: stateOf(received),
    conversationPatch: null,
    steps: [],
    learn: null,
  };
}

function stateOf(received: Received): ConversationState {
  return fromJson<ConversationState>(received.conversation.state, initialState());
}

/** What the bot says on this turn and what it made of the message. */
interface Said {
  text: string;
  quickReplies: DialogTurn['quickReplies'];
  state: ConversationState;
  intent: DialogTurn['intent'];
  actions: string[];
}

/** What the customer said; a voice note without words is transcribed when the tenant can. */
async function hear(
  transcribe: VoiceNoteTranscriber | undefined,
  tenantId: string,
  inbound: Received['inbound'],
): Promise<Heard> {
  const metadata = fromJson<Record<string, unknown>>(inbound.metadata, {});
  const payload = typeof metadata.payload === 'string' ? metadata.payload : undefined;
  const heard: Heard = {
    text: inbound.text.trim() || payload || '',
    payload,
    transcript: null,
    transcriptionError: undefined,
  };
  const audio = fromJson<InboundMedia[]>(inbound.media, []).find((m) => m.kind === 'audio');
  if (heard.text || !audio || !transcribe) return heard;
  try {
    heard.transcript = await transcribe(tenantId, audio);
    heard.text = heard.transcript?.text ?? '';
  } catch (err) {
    // An unreadable voice note is acknowledged like any media; the reason stays on the message.
    heard.transcriptionError = err instanceof Error ? err.message : String(err);
  }
  return heard;
}

/** The bot's reply; the metadata keeps what a repeated request is answered from. */
function replyOf(
  received: Received,
  said: Said,
  analysis: AnalysisResult | undefined,
  at: string,
  processingTimeMs: number,
): NonNullable<TurnPlan['reply']> {
  const { tenantId, conversation, inbound } = received;
  const meta: ReplyMetadata = {
    model_used: analysis?.usage.model ?? null,
    provider: analysis?.usage.provider ?? null,
    processing_time_ms: processingTimeMs,
    confidence_score: analysis ? Math.round(said.intent.confidence * 1000) / 1000 : null,
    state: said.state,
    actions: said.actions,
  };
  const row: Omit<messages.MessageRow, 'metadata'> = {
    id: newId('msg'),
    tenant_id: tenantId,
    conversation_id: conversation.id,
    channel: conversation.channel,
    external_id: null,
    direction: 'outbound',
    sender: 'bot',
    content_type: 'text',
    text: said.text,
    media: null,
    quick_replies: toJson(said.quickReplies),
    intent: said.intent.name,
    confidence: analysis ? said.intent.confidence : null,
    sentiment: null,
    // The web widget gets the reply in the HTTP answer; other channels hand it to their delivery, which moves it on.
    status: conversation.channel === 'web' ? 'sent' : 'processed',
    error: null,
    reply_to_id: inbound.id,
    created_at: at,
  };
  return { row, meta };
}

/** The customer's message as the turn leaves it: processed, with what the engine made of it. */
function processedInbound(
  inbound: messages.MessageRow,
  heard: Heard,
  said: Said,
  analysis: AnalysisResult | undefined,
): messages.MessageRow {
  const { transcript, transcriptionError } = heard;
  const metadata = {
    ...fromJson<Record<string, unknown>>(inbound.metadata, {}),
    ...(transcript
      ? { transcript: { provider: transcript.provider, model: transcript.model, confidence: transcript.confidence } }
      : {}),
    ...(transcriptionError ? { transcription_error: transcriptionError } : {}),
  };
  return {
    ...inbound,
    status: 'processed',
    error: null,
    intent: said.intent.name,
    confidence: analysis ? said.intent.confidence : null,
    sentiment: analysis?.sentiment ?? null,
    metadata: toJson(metadata),
    // What the customer said in a voice note is their message, for the history and the lead's score.
    ...(transcript?.text ? { text: transcript.text } : {}),
  };
}

/** The turn's rows from what was heard and what the bot says. */
function planned(
  received: Received,
  heard: Heard,
  said: Said,
  made: {
    analysis?: AnalysisResult | undefined;
    steps: TurnStep[];
    learn: TurnPlan['learn'];
    at: string;
    processingTimeMs: number;
  },
): TurnPlan {
  const { analysis, at } = made;
  return {
    inbound: processedInbound(received.inbound, heard, said, analysis),
    reply: replyOf(received, said, analysis, at, made.processingTimeMs),
    state: said.state,
    conversationPatch: {
      state: toJson(said.state),
      current_intent: said.intent.name ?? received.conversation.current_intent,
      ...(analysis ? { sentiment: analysis.sentiment } : {}),
      updated_at: at,
    },
    steps: made.steps,
    learn: made.learn,
  };
}

/**
 * The turn's decision: what the customer said, what the engine and the dialog make of it, the
 * reply and the rows the dialog's actions need. Engine and model calls happen here, before any
 * write; nothing is stored, so a failure here leaves the database as it was.
 */
export function createTurnDecider(deps: TurnDeps) {
  const finished = (started: number) => ({
    at: deps.clock.now().toISOString(),
    processingTimeMs: Math.round(performance.now() - started),
  });

  const understand = async (received: Received, heard: Heard, before: ConversationState): Promise<Understood> => {
    const { tenantId, conversation } = received;
    const { engine, ctx } = await deps.ai.forTenant(tenantId);
    const contact = conversation.contact_id ? await deps.contacts.get(tenantId, conversation.contact_id) : undefined;
    const analysis = await engine.analyze(
      {
        kind: 'message',
        text: heard.text,
        source: conversation.channel,
        ...(contact?.email ? { email: contact.email } : {}),
        ...(contact?.phone ? { phone: contact.phone } : {}),
        ...(contact?.name ? { name: contact.name } : {}),
      },
      ctx,
    );
    const cfg = await deps.dialogConfig(tenantId);
    const phrase = deps.phraser ? await deps.phraser(tenantId) : undefined;
    const dialog = await deps.dialog.turn(
      cfg,
      {
        text: heard.text,
        ...(heard.payload ? { payload: heard.payload } : {}),
        state: before,
        analysis,
        now: deps.clock.now(),
      },
      phrase,
    );
    if (!contact) return { analysis, dialog, contact: undefined, learn: null };
    // A phone or e-mail the customer gave may be another contact's: learning (after commit) merges them into one person.
    const got = dialog.state.collected;
    const facts = {
      phone: got.phone ?? analysis.entities.phones[0],
      email: got.email ?? analysis.entities.emails[0],
      name: got.name ?? analysis.entities.person_name ?? undefined,
    };
    return { analysis, dialog, contact: withFacts(contact, facts), learn: { contactId: contact.id, facts } };
  };

  /** Scores the lead on everything the customer said, this message included. */
  const leadStep = async (
    received: Received,
    understood: Understood,
    fields: Partial<Record<string, string>>,
    intent: string | null,
  ): Promise<TurnStep> => {
    const { tenantId, conversation, inbound } = received;
    const earlier = await messages.listInboundTexts(deps.db, tenantId, conversation.id);
    const said = (received.inboundStored ? earlier : [...earlier, inbound.text].filter((t) => t.length > 0)).join('\n');
    const contact = understood.contact;
    const email = fields.email ?? contact?.email ?? undefined;
    const phone = fields.phone ?? contact?.phone ?? undefined;
    const name = fields.name ?? contact?.name ?? undefined;
    const { engine, ctx } = await deps.ai.forTenant(tenantId);
    const started = performance.now();
    const analysis = await engine.analyze(
      {
        kind: 'lead',
        text: said,
        email,
        phone,
        name,
        source: 'chat',
        fields: { ...fields, channel: conversation.channel, ...(intent ? { intent } : {}) },
      },
      ctx,
    );
    const lead = {
      email,
      phone,
      name,
      message: said,
      source: 'chat',
      metadata: {
        channel: conversation.channel,
        conversation_id: conversation.id,
        contact_id: conversation.contact_id,
        collected: fields,
      },
    };
    return { type: 'lead', lead, analysis, processingTimeMs: Math.round(performance.now() - started) };
  };

  /** The dialog's actions as rows to write, in order; a handoff's notice becomes the reply. */
  const stepsFor = async (
    received: Received,
    understood: Understood,
    actions: DialogAction[],
  ): Promise<{ steps: TurnStep[]; customerMessage?: string }> => {
    const { tenantId, conversation } = received;
    const steps: TurnStep[] = [];
    let customerMessage: string | undefined;
    let hasLead = conversation.lead_id !== null;
    for (const action of actions) {
      if (action.type === 'create_lead') {
        steps.push(await leadStep(received, understood, action.fields, action.intent));
        hasLead = true;
      } else if (action.type === 'request_appointment') {
        if (!hasLead) steps.push(await leadStep(received, understood, action.fields, 'book_appointment'));
        hasLead = true;
        const at = deps.clock.now().toISOString();
        steps.push({
          type: 'appointment',
          row: {
            id: newId('appt'),
            conversation_id: conversation.id,
            contact_id: conversation.contact_id,
            preferred_time: action.preferredTime,
            fields: toJson(action.fields),
            status: 'requested',
            created_at: at,
            updated_at: at,
          },
        });
      } else {
        // Pauses the bot on the conversation: from here it is silent until handed back.
        const plan = await deps.transfers().planOpen(
          tenantId,
          {
            conversationId: conversation.id,
            reason: action.briefing.reason,
            priority: PRIORITY_OF[action.briefing.reason] ?? 'normal',
            briefing: action.briefing,
          },
          conversation,
        );
        steps.push({ type: 'transfer', plan });
        customerMessage = plan.text;
      }
    }
    return { steps, ...(customerMessage !== undefined ? { customerMessage } : {}) };
  };

  return {
    /** One dialog turn for a received message; while a human has the conversation, only the message is stored. */
    async decide(received: Received): Promise<TurnPlan> {
      const started = performance.now();
      const before = stateOf(received);
      if (received.conversation.bot_paused === 1)
        return {
          inbound: received.inbound,
          reply: null,
          state: before,
          conversationPatch: null,
          steps: [],
          learn: null,
        };
      const heard = await hear(deps.transcribe, received.tenantId, received.inbound);
      const media = fromJson<InboundMedia[]>(received.inbound.media, []);
      if (!heard.text && media.length > 0) {
        const state = { ...before, entities: { ...before.entities, evidence_provided: true } };
        return planned(
          received,
          heard,
          {
            text: ACKNOWLEDGEMENTS[media[0]!.kind],
            quickReplies: [],
            state,
            intent: { name: null, confidence: 0 },
            actions: [],
          },
          { steps: [], learn: null, ...finished(started) },
        );
      }
      const understood = await understand(received, heard, before);
      const { dialog } = understood;
      const { steps, customerMessage } = await stepsFor(received, understood, dialog.actions);
      const state =
        media.length > 0
          ? { ...dialog.state, entities: { ...dialog.state.entities, evidence_provided: true } }
          : dialog.state;
      const said: Said = {
        text: customerMessage ?? dialog.reply,
        quickReplies: dialog.quickReplies,
        state,
        intent: dialog.intent,
        actions: dialog.actions.map((a) => a.type),
      };
      return planned(received, heard, said, {
        analysis: understood.analysis,
        steps,
        learn: understood.learn,
        ...finished(started),
      });
    },
  };
}
