import { COLLECT_FIELDS } from '../../engine/dialog/dialog.js';
import { conversationFacts, resolutionStatus } from '../analytics/index.js';
import type { ConversationRecord } from './conversation-record.js';

/** What a conversation was about and how it ended, from its stored state and messages. */
export interface ConversationSummary {
  conversationId: string;
  status: string;
  customer: { name: string | null; phone: string | null; email: string | null };
  customerGoal: { intent: string | null; description: string; firstMessage: string | null };
  /** Fields the dialog collected toward the lead, and other entities it recognised. */
  collected: { fields: Record<string, string>; entities: Record<string, unknown>; missingFields: string[] };
  outcome: {
    resolutionStatus: string;
    resolution: string | null;
    description: string;
    leadId: string | null;
    transferred: boolean;
    assignedAgent: string | null;
  };
  sentiment: { overall: string | null; trend: string | null; first: string | null; last: string | null };
  messageCount: number;
  durationMinutes: number;
  /** The summary in prose. */
  text: string;
  /** `local`, or the `provider:model` of the tenant's LLM chain that phrased `text`. */
  generatedBy: string;
}

const FIRST_MESSAGE_CHARS = 200;

export const readableIntent = (intent: string) => {
  const words = intent.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** How the conversation stands or ended, in words; `agent` is the assigned agent's name when there is one. */
function outcomeOf({ conversation: c, transfers }: ConversationRecord, agent: string | null): string {
  const lastTransfer = transfers.at(-1);
  let outcome: string;
  if (c.status === 'closed') outcome = `Closed as ${readableIntent(c.resolution ?? 'resolved').toLowerCase()}`;
  else if (c.status === 'waiting_agent')
    outcome = `Waiting for ${agent ?? `the ${lastTransfer?.department ? `${readableIntent(lastTransfer.department).toLowerCase()} ` : ''}team`} after a transfer`;
  else if (c.status === 'with_agent') outcome = `Being handled by ${agent ?? 'a human agent'}`;
  else if (c.leadId) outcome = 'Details collected and a lead created';
  else if (c.state.conversation_stage === 'completed') outcome = 'The bot completed the request';
  else outcome = `In progress with the bot (stage: ${c.state.conversation_stage.replace(/_/g, ' ')})`;
  if (c.leadId && c.status !== 'active') outcome += '; a lead was created';
  return outcome;
}

/** The summary the local path gives: no model involved, every statement traceable to a stored field or message. */
export function localSummary(record: ConversationRecord): ConversationSummary {
  const { conversation: c, messages, transfers } = record;
  const analytics = conversationFacts(record);
  const collected = Object.fromEntries(
    Object.entries(c.state.collected).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '',
    ),
  );
  const entities = Object.fromEntries(
    Object.entries(c.state.entities).filter(
      ([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0),
    ),
  );
  const intent = c.currentIntent ?? c.state.current_intent ?? analytics.intents.at(-1)?.intent ?? null;
  const firstCustomer = messages.find((m) => m.sender === 'customer' && m.text.trim() !== '');
  const firstMessage = firstCustomer ? clip(firstCustomer.text.trim(), FIRST_MESSAGE_CHARS) : null;
  const service = collected.service;
  const goal = intent
    ? `${readableIntent(intent)}${service ? ` (${service})` : ''}`
    : firstMessage
      ? `Asked: “${firstMessage}”`
      : 'No customer message yet';

  const status = resolutionStatus(c);
  const agent = c.assignedAgentId ? (record.agentNames.get(c.assignedAgentId) ?? c.assignedAgentId) : null;
  const lastTransfer = transfers.at(-1);
  const outcome = outcomeOf(record, agent);

  const timeline = analytics.sentiment.timeline;
  const sentiment = {
    overall: analytics.sentiment.overall,
    trend: analytics.sentiment.trend,
    first: timeline[0]?.sentiment ?? null,
    last: timeline.at(-1)?.sentiment ?? null,
  };
  const missing = COLLECT_FIELDS.filter((f) => collected[f] === undefined);
  const customer = { name: collected.name ?? null, phone: collected.phone ?? null, email: collected.email ?? null };

  const who = customer.name ? `${customer.name}` : 'The customer';
  const sentences = [
    `${who} contacted us on ${c.channel}: ${intent ? readableIntent(intent).toLowerCase() : firstMessage ? `“${firstMessage}”` : 'no message yet'}${service ? ` about ${service}` : ''}.`,
  ];
  const known = Object.entries(collected).map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`);
  if (known.length > 0) sentences.push(`Collected: ${known.join(', ')}.`);
  sentences.push(`${outcome}.`);
  if (transfers.length > 0)
    sentences.push(
      `Transferred to a human ${transfers.length === 1 ? 'once' : `${transfers.length} times`}${lastTransfer?.reason ? ` (${readableIntent(lastTransfer.reason).toLowerCase()})` : ''}.`,
    );
  if (sentiment.overall)
    sentences.push(
      `Customer sentiment: ${sentiment.overall}${sentiment.trend && sentiment.trend !== 'stable' ? `, ${sentiment.trend}` : ''}.`,
    );

  return {
    conversationId: c.id,
    status: c.status,
    customer,
    customerGoal: { intent, description: goal, firstMessage },
    collected: { fields: collected, entities, missingFields: missing },
    outcome: {
      resolutionStatus: status,
      resolution: c.resolution,
      description: outcome,
      leadId: c.leadId,
      transferred: transfers.length > 0,
      assignedAgent: agent,
    },
    sentiment,
    messageCount: messages.length,
    durationMinutes: Math.round(analytics.durationSeconds / 60),
    text: sentences.join(' '),
    generatedBy: 'local',
  };
}

/** The conversation as a transcript for a model, most recent part kept when long. */
export function transcriptOf(record: ConversationRecord, maxChars: number): string {
  const lines = record.messages
    .filter((m) => m.text.trim() !== '')
    .map((m) => `${readableIntent(m.sender)}: ${m.text.trim()}`);
  let out = '';
  for (let i = lines.length - 1; i >= 0; i--) {
    const next = `${lines[i]}\n${out}`;
    if (next.length > maxChars) break;
    out = next;
  }
  return out.trimEnd();
}
