import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type {
  ConversationState,
  DialogAction,
  DialogConfig,
  DialogEngine,
  DialogTurn,
  Phraser,
} from '../../engine/dialog/dialog.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { TenantAiService } from '../ai/index.js';
import { normaliseEmail, normalisePhone, type Contact, type ContactsService } from '../identity/index.js';
import type { MessagesRepo } from './messages.repo.js';
import type { HandoffPort, HandoffPriority } from './handoff-port.js';
import { ACKNOWLEDGEMENTS, hear, type Heard } from './turn-hear.js';
import { planned, silentPlan, type Said } from './turn-plan.js';
import type { Received, TurnPlan, TurnStep } from './turn-types.js';
import type { VoiceNoteTranscriber } from './voice-notes.js';

export interface TurnDeps {
  /** Read only: deciding a turn writes nothing. */
  messages: Pick<MessagesRepo, 'listInboundTexts'>;
  clock: Clock;
  ai: TenantAiService;
  dialog: DialogEngine;
  /** The tenant's dialog configuration, read fresh each turn (a configuration change is live at once). */
  dialogConfig: (tenantId: string) => Promise<DialogConfig>;
  /** Rewrites a drafted reply in the tenant's voice, when the tenant has one configured. */
  phraser?: ((tenantId: string) => Promise<Phraser | undefined>) | undefined;
  contacts: Pick<ContactsService, 'get'>;
  handoff: Pick<HandoffPort, 'planOpen'>;
  /** Voice messages to text with the tenant's speech-to-text chain. */
  transcribe?: VoiceNoteTranscriber | undefined;
}

const PRIORITY_OF: Record<string, HandoffPriority> = {
  emergency: 'urgent',
  negative_sentiment: 'high',
  escalation_trigger: 'high',
  requested: 'normal',
  low_confidence: 'normal',
};

type Facts = NonNullable<TurnPlan['learn']>['facts'];

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

/** The engine's analysis of the message and one dialog turn on it. */
async function understand(deps: TurnDeps, received: Received, heard: Heard): Promise<Understood> {
  const { tenantId, conversation } = received;
  const { engine, ctx } = await deps.ai.forTenant(tenantId);
  const contact = conversation.contactId ? await deps.contacts.get(tenantId, conversation.contactId) : undefined;
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
  const input = { text: heard.text, state: conversation.state, analysis, now: deps.clock.now() };
  const dialog = await deps.dialog.turn(cfg, heard.payload ? { ...input, payload: heard.payload } : input, phrase);
  if (!contact) return { analysis, dialog, contact: undefined, learn: null };
  // A phone or e-mail the customer gave may be another contact's: learning (after commit) merges them into one person.
  const got = dialog.state.collected;
  const facts = {
    phone: got.phone ?? analysis.entities.phones[0],
    email: got.email ?? analysis.entities.emails[0],
    name: got.name ?? analysis.entities.person_name ?? undefined,
  };
  return { analysis, dialog, contact: withFacts(contact, facts), learn: { contactId: contact.id, facts } };
}

/** Scores the lead on everything the customer said, this message included. */
async function leadStep(
  deps: TurnDeps,
  received: Received,
  understood: Understood,
  fields: Partial<Record<string, string>>,
  intent: string | null,
): Promise<TurnStep> {
  const { tenantId, conversation, inbound } = received;
  const earlier = await deps.messages.listInboundTexts(tenantId, conversation.id);
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
      contact_id: conversation.contactId,
      collected: fields,
    },
    mode: conversation.mode,
  };
  return { type: 'lead', lead, analysis, processingTimeMs: Math.round(performance.now() - started) };
}

function appointmentStep(deps: TurnDeps, received: Received, action: DialogAction & { type: 'request_appointment' }) {
  const at = deps.clock.now().toISOString();
  const { conversation } = received;
  return {
    type: 'appointment' as const,
    request: {
      id: newId('appt'),
      conversationId: conversation.id,
      contactId: conversation.contactId,
      preferredTime: action.preferredTime,
      requestedStart: action.slot?.start ?? null,
      requestedEnd: action.slot?.end ?? null,
      fields: action.fields,
      status: 'requested',
      createdAt: at,
      updatedAt: at,
    },
  };
}

/** The dialog's actions as rows to write, in order; a handoff's notice becomes the reply. */
async function stepsFor(
  deps: TurnDeps,
  received: Received,
  understood: Understood,
  actions: DialogAction[],
): Promise<{ steps: TurnStep[]; customerMessage?: { text: string; id: string } }> {
  const { tenantId, conversation } = received;
  const steps: TurnStep[] = [];
  let customerMessage: { text: string; id: string } | undefined;
  let hasLead = conversation.leadId !== null;
  for (const action of actions) {
    if (action.type === 'create_lead') {
      steps.push(await leadStep(deps, received, understood, action.fields, action.intent));
      hasLead = true;
    } else if (action.type === 'request_appointment') {
      if (!hasLead) steps.push(await leadStep(deps, received, understood, action.fields, 'book_appointment'));
      hasLead = true;
      steps.push(appointmentStep(deps, received, action));
    } else {
      // Pauses the bot on the conversation: from here it is silent until handed back.
      // An emergency's own reply carries the tenant's on-call line; the queue notice must not replace it.
      const noticeInReply = action.briefing.reason !== 'emergency';
      const request = {
        conversationId: conversation.id,
        reason: action.briefing.reason,
        priority: PRIORITY_OF[action.briefing.reason] ?? 'normal',
        briefing: action.briefing,
        noticeInReply,
      };
      const plan = await deps.handoff.planOpen(tenantId, request, conversation);
      steps.push({ type: 'transfer', plan });
      if (noticeInReply) customerMessage = { text: plan.text, id: plan.messageId };
    }
  }
  return { steps, ...(customerMessage !== undefined ? { customerMessage } : {}) };
}

/** Media shown with the message counts as evidence the customer provided. */
function withEvidence(state: ConversationState): ConversationState {
  return { ...state, entities: { ...state.entities, evidence_provided: true } };
}

/**
 * One dialog turn for a received message: what the customer said, what the engine and the dialog
 * make of it, the reply and the rows the dialog's actions need. Engine and model calls happen
 * here, before any write; nothing is stored, so a failure here leaves the database as it was.
 */
export async function decideTurn(deps: TurnDeps, received: Received): Promise<TurnPlan> {
  const started = performance.now();
  const finished = () => ({
    at: deps.clock.now().toISOString(),
    processingTimeMs: Math.round(performance.now() - started),
  });
  if (received.conversation.botPaused) return silentPlan(received);
  const heard = await hear(deps.transcribe, received.tenantId, received.inbound);
  const media = received.inbound.media;
  if (!heard.text && media.length > 0) {
    const acknowledged: Said = {
      text: ACKNOWLEDGEMENTS[media[0]!.kind],
      quickReplies: [],
      state: withEvidence(received.conversation.state),
      intent: { name: null, confidence: 0 },
      actions: [],
    };
    return planned(received, heard, acknowledged, { steps: [], learn: null, ...finished() });
  }
  const understood = await understand(deps, received, heard);
  const { dialog } = understood;
  const { steps, customerMessage } = await stepsFor(deps, received, understood, dialog.actions);
  const said: Said = {
    text: customerMessage?.text ?? dialog.reply,
    ...(customerMessage ? { replyId: customerMessage.id } : {}),
    quickReplies: dialog.quickReplies,
    state: media.length > 0 ? withEvidence(dialog.state) : dialog.state,
    intent: dialog.intent,
    actions: dialog.actions.map((a) => a.type),
  };
  return planned(received, heard, said, {
    analysis: understood.analysis,
    steps,
    learn: understood.learn,
    ...finished(),
  });
}
