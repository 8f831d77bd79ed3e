import type { AnalysisResult } from '../analysis.schema.js';

/**
 * The dialog engine's contract: one turn of a goal-directed conversation, decided from the
 * tenant's dialog configuration, the conversation's state and the engine's analysis of the
 * message. Pure apart from the optional LLM phrasing hook; the conversation service stores
 * the state it returns and carries out the actions.
 */

export const COLLECT_FIELDS = ['name', 'phone', 'email', 'service', 'address', 'preferred_time'] as const;
export type CollectField = (typeof COLLECT_FIELDS)[number];

export type ConversationStage =
  | 'greeting'
  | 'discovery'
  | 'information_provided'
  | 'collecting'
  | 'confirming'
  | 'completed'
  | 'handed_off'
  | 'closed';

export interface KnowledgeEntry {
  id: string;
  /** The question an FAQ entry answers, or a document's title. */
  title: string;
  /** The answer or the document's text. */
  content: string;
  tags?: string[];
}

export interface DayHours {
  start?: string;
  end?: string;
  closed?: boolean;
}

/** A date (`YYYY-MM-DD` in the tenant's time zone) the business is closed all day, whatever its weekday's hours. */
export interface Holiday {
  date: string;
  name?: string;
}

export type WeekHours = Partial<
  Record<'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday', DayHours>
> & { holidays?: Holiday[] };

/** Everything about a tenant the dialog needs, already read from its configuration. */
export interface DialogConfig {
  tenantId: string;
  companyName: string;
  timezone: string;
  greeting: string;
  fallbackResponse: string;
  /** Intent confidence below this counts as "not understood". */
  confidenceThreshold: number;
  /** Free text from the tenant (e.g. "refund request"); a message matching it hands off. */
  escalationTrigger?: string;
  outOfHoursMessage?: string;
  /** The on-call number an out-of-hours emergency is given; absent, the out-of-hours message or knowledge may name one. */
  onCallPhone?: string;
  collectFields: CollectField[];
  /** Absent: always open. */
  businessHours?: WeekHours;
  customInstructions?: string;
  /** The tenant's service catalogue (names), used to recognise the `service` field. */
  services: string[];
  knowledge: KnowledgeEntry[];
  /** Engine ids (project types such as `hvac_repair`, intents such as `solar_quote`) that name a catalogue service, mapped to its name. */
  serviceAliases?: Record<string, string>;
  /** Where the business is, for "where are you?" when the knowledge base does not say. */
  address?: string;
}

export interface QuickReply {
  title: string;
  payload: string;
}

export interface ConversationState {
  current_intent: string | null;
  entities: Record<string, unknown>;
  next_expected_input: string | null;
  conversation_stage: ConversationStage;
  /** What has been collected toward the lead, by field. */
  collected: Partial<Record<CollectField, string>>;
  /** Consecutive turns under the confidence threshold. */
  low_confidence_turns: number;
}

export interface HandoffBriefing {
  /** `emergency`: harm happening now (a leak, no heat, a gas smell, a situation the tenant names as its emergency) while the business is closed. */
  reason: 'requested' | 'low_confidence' | 'negative_sentiment' | 'escalation_trigger' | 'emergency';
  /** What the customer has told us so far: every collected field (who they are, the service, the address, the time). */
  customer: Partial<Record<CollectField, string>>;
  /** What they want, in a sentence. */
  request: string;
  intent: string | null;
  sentiment: AnalysisResult['sentiment'];
  summary: string;
}

/** The time a customer asked for, read in the tenant's time zone. */
export interface RequestedSlot {
  /** The customer's words. */
  text: string;
  /** Start of the requested window, ISO 8601 with the tenant's UTC offset; null when no day or time was named. */
  start: string | null;
  /** End of the window for a part of day or a whole day; null for an exact time. */
  end: string | null;
  /** "as soon as you can": the business decides how soon. */
  asap: boolean;
}

export type DialogAction =
  | { type: 'create_lead'; fields: Partial<Record<CollectField, string>>; intent: string | null }
  | {
      type: 'request_appointment';
      fields: Partial<Record<CollectField, string>>;
      preferredTime: string | null;
      /** The preferred time as a slot, when the customer's words name one. */
      slot?: RequestedSlot;
    }
  | { type: 'handoff'; briefing: HandoffBriefing };

export interface DialogTurnInput {
  text: string;
  /** A quick-reply payload the customer tapped, when the message came from one. */
  payload?: string;
  state: ConversationState;
  /** The engine's analysis of this message (intent, entities, sentiment). */
  analysis: AnalysisResult;
  now: Date;
}

export interface DialogTurn {
  reply: string;
  quickReplies: QuickReply[];
  state: ConversationState;
  intent: { name: string | null; confidence: number };
  actions: DialogAction[];
  /** Whether the business is open at `now` in the tenant's time zone. */
  open: boolean;
}

/** Rewrites a drafted reply in the tenant's voice (an LLM chain); falls back to the draft on any failure. */
export type Phraser = (
  draft: string,
  context: { instructions?: string; knowledge: KnowledgeEntry[]; message: string },
) => Promise<string>;

export interface DialogEngine {
  /** The opening turn of a new conversation. */
  start(cfg: DialogConfig, now: Date): DialogTurn;
  turn(cfg: DialogConfig, input: DialogTurnInput, phrase?: Phraser): Promise<DialogTurn>;
}

export function initialState(): ConversationState {
  return {
    current_intent: null,
    entities: {},
    next_expected_input: null,
    conversation_stage: 'greeting',
    collected: {},
    low_confidence_turns: 0,
  };
}
