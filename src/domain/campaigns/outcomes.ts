import type { Clock } from '../../lib/clock.js';
import type { SimulatedAnswer } from '../../providers/dialers/dialer.js';
import type { ConversationInbox } from '../conversations/index.js';
import type { CallVerdict, SourcedLeads } from '../leads/index.js';
import { judgeConversation } from './call-outcome.js';
import { QUALIFIED, type CallOutcome, type CampaignTarget } from './campaigns.records.js';
import type { CampaignsRepo } from './campaigns.repo.js';
import { nextAttemptAt } from './retry-rules.js';

/**
 * The end of each call: one outcome recorded on the target, and the target queued again or done
 * by the retry rules. A call a person answered is judged by what they said, which went through
 * the voice conversation core (channel `voice`) like any caller's words.
 */

export interface OutcomePorts {
  repo: CampaignsRepo;
  clock: Clock;
  inbox: ConversationInbox;
  /** The leads door: the called lead's status follows the call. */
  leads: Pick<SourcedLeads, 'followCall'>;
}

/** Spec B's reading of an outcome as a lead status (docs/decisions.md, B): interest, refusal, or at least reached. */
function verdictOf(outcome: CallOutcome): CallVerdict {
  if (QUALIFIED.has(outcome)) return 'interested';
  return outcome === 'not_interested' ? 'lost' : 'contacted';
}

/** Records the call's outcome; false when the target was not on a call (a repeated or stray callback). */
export async function endCall(ports: OutcomePorts, tenantId: string, target: CampaignTarget, outcome: CallOutcome) {
  const now = ports.clock.now();
  const next = nextAttemptAt(outcome, target.attempts, now);
  const ended = await ports.repo.endCall(tenantId, target.id, {
    outcome,
    state: next ? 'pending' : 'done',
    nextDialAt: (next ?? now).toISOString(),
    at: now.toISOString(),
  });
  if (ended) await ports.leads.followCall(tenantId, target.leadId, verdictOf(outcome));
  return ended;
}

/** One thing the callee said on a campaign call: a turn of the voice conversation, kept for judging the call. */
export async function hearCallee(
  ports: OutcomePorts,
  tenantId: string,
  target: CampaignTarget,
  turn: { callRef: string; key: string; text: string },
): Promise<string | undefined> {
  const now = ports.clock.now();
  await ports.repo.appendTranscript(tenantId, target.id, turn.text, now.toISOString());
  const result = await ports.inbox.receive(tenantId, {
    channel: 'voice',
    externalMessageId: `${turn.callRef}:${turn.key}`,
    platformUserId: target.phone,
    phone: target.phone,
    text: turn.text,
    receivedAt: now,
    context: { call_sid: turn.callRef, campaign_id: target.campaignId },
  });
  return result.reply?.text;
}

/** A simulated call, played at once: the callee's lines through the conversation, then the outcome. */
export async function playSimulated(
  ports: OutcomePorts,
  tenantId: string,
  target: CampaignTarget,
  callRef: string,
  answer: SimulatedAnswer,
): Promise<CallOutcome> {
  if (answer.kind !== 'human') {
    await endCall(ports, tenantId, target, answer.kind);
    return answer.kind;
  }
  for (const [index, text] of answer.lines.entries())
    await hearCallee(ports, tenantId, target, { callRef, key: String(index), text });
  const outcome = judgeConversation(answer.lines);
  await endCall(ports, tenantId, target, outcome);
  return outcome;
}

/** A vendor's report that a call ended: unanswered and machine answers as they are, a person's call judged by its transcript. */
export async function vendorCallEnded(
  ports: OutcomePorts,
  tenantId: string,
  callRef: string,
  end: CallOutcome | 'answered',
): Promise<CallOutcome | undefined> {
  const target = await ports.repo.findByCallRef(tenantId, callRef);
  if (!target || target.state !== 'dialing') return undefined;
  const outcome =
    end === 'answered' ? judgeConversation((await ports.repo.transcriptOf(tenantId, target.id)).split('\n')) : end;
  return (await endCall(ports, tenantId, target, outcome)) ? outcome : undefined;
}
