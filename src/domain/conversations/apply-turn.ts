import type { AppointmentsService } from '../appointments/index.js';
import { notFound } from '../errors.js';
import type { LeadsService } from '../leads/index.js';
import type { MessageRecord, ReplyMetadata } from './conversation-record.js';
import type { ConversationStore, ConversationTx } from './conversation-store.repo.js';
import type { HandoffPort } from './handoff-port.js';
import type { Applied, Received, TurnPlan, TurnStep } from './turn-types.js';

export interface ApplyDeps {
  store: Pick<ConversationStore, 'transaction'>;
  leads: Pick<LeadsService, 'recordAnalyzedIn'>;
  appointments: Pick<AppointmentsService, 'requestIn'>;
  handoff: Pick<HandoffPort, 'writeOpen'>;
}

/**
 * Another delivery stored the same message, or started the same new conversation, while this
 * turn was being decided: the turn is rolled back and runs again on what is stored now.
 */
export class TurnRaced extends Error {
  constructor() {
    super('a concurrent turn stored this message or conversation first');
  }
}

/** What the steps created, for the reply's metadata and the conversation's lead. */
interface Created {
  leadId: string | undefined;
  appointmentRequestId?: string;
  transferId?: string;
  leads: Applied['leads'];
  handoffs: Applied['handoffs'];
}

async function storeInbound(tx: ConversationTx, received: Received, plan: TurnPlan): Promise<void> {
  const { tenantId, conversation } = received;
  if (received.inboundStored) {
    const { text, status, error, intent, confidence, sentiment, metadata } = plan.inbound;
    await tx.messages.update(tenantId, plan.inbound.id, {
      text,
      status,
      error,
      intent,
      confidence,
      sentiment,
      metadata,
    });
    return;
  }
  if (received.conversationIsNew && !(await tx.conversations.insert(tenantId, conversation))) {
    // Ids are unique across tenants; one taken by another tenant is reported as unknown here.
    if (await tx.conversations.findById(tenantId, conversation.id)) throw new TurnRaced();
    throw notFound('conversation', conversation.id);
  }
  if (!(await tx.messages.insert(tenantId, plan.inbound))) throw new TurnRaced();
  await tx.conversations.recordMessage(tenantId, conversation.id, plan.inbound.createdAt, true);
  if (received.sessionId && !conversation.sessionId)
    await tx.conversations.update(tenantId, conversation.id, { sessionId: received.sessionId });
}

function replyMessage(reply: NonNullable<TurnPlan['reply']>, created: Created, namesLead: boolean): MessageRecord {
  const meta: ReplyMetadata = {
    ...reply.meta,
    ...(namesLead && created.leadId ? { lead_id: created.leadId } : {}),
    ...(created.appointmentRequestId ? { appointment_request_id: created.appointmentRequestId } : {}),
    ...(created.transferId ? { transfer_id: created.transferId } : {}),
  };
  return { ...reply.message, metadata: { ...meta } };
}

/**
 * Writes a decided turn in one transaction: the conversation it starts, the customer's message,
 * the rows of the dialog's actions (a lead with its queued webhooks, an appointment request, a
 * handoff), the reply and the conversation's state and counters. Either all of it is stored or
 * none of it is, so a failed turn can simply be sent again.
 */
export function createTurnApplier(deps: ApplyDeps) {
  const writeStep = async (tx: ConversationTx, tenantId: string, step: TurnStep, created: Created) => {
    switch (step.type) {
      case 'lead': {
        const lead = await deps.leads.recordAnalyzedIn(
          tx.handle,
          tenantId,
          step.lead,
          step.analysis,
          step.processingTimeMs,
        );
        created.leadId = lead.leadId;
        created.leads.push(lead);
        break;
      }
      case 'appointment':
        await deps.appointments.requestIn(tx.handle, tenantId, { ...step.request, leadId: created.leadId ?? null });
        created.appointmentRequestId = step.request.id;
        break;
      case 'transfer':
        created.handoffs.push(await deps.handoff.writeOpen(tx, tenantId, step.plan));
        created.transferId = step.plan.transferId;
        break;
    }
  };

  const write = async (tx: ConversationTx, received: Received, plan: TurnPlan): Promise<Applied> => {
    const { tenantId, conversation } = received;
    await storeInbound(tx, received, plan);
    const created: Created = { leadId: conversation.leadId ?? undefined, leads: [], handoffs: [] };
    for (const step of plan.steps) await writeStep(tx, tenantId, step, created);
    const { leads, handoffs } = created;
    if (!plan.reply) return { inbound: plan.inbound, reply: null, leads, handoffs };
    // The reply names the lead when a step created it or booked an appointment on it.
    const namesLead = plan.steps.some((s) => s.type !== 'transfer');
    const reply = replyMessage(plan.reply, created, namesLead);
    await tx.messages.insert(tenantId, reply);
    await tx.conversations.update(tenantId, conversation.id, {
      ...plan.conversationPatch,
      ...(created.leads.length > 0 ? { leadId: created.leadId ?? null } : {}),
    });
    await tx.conversations.recordMessage(tenantId, conversation.id, reply.createdAt, false);
    return { inbound: plan.inbound, reply, leads, handoffs };
  };

  return {
    apply: (received: Received, plan: TurnPlan): Promise<Applied> =>
      deps.store.transaction((tx) => write(tx, received, plan)),
  };
}
